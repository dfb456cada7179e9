import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseInputFiles, inputRecord, readJsonLines } from '../src/module/jsonLinesInput';
import { parseIsoDuration } from '../src/reset/isoDuration';
import { mergeInputs } from '../src/run/mergeInputs';

const orders = fileURLToPath(new URL('./fixtures/orders.jsonl', import.meta.url));

describe('--input topic=FILE', () => {
  it('parses topic=FILE, repeated, and rejects a missing = or file', () => {
    expect(parseInputFiles([`orders=${orders}`, `a=${orders}`])).toEqual([
      { topic: 'orders', file: orders },
      { topic: 'a', file: orders },
    ]);
    expect(parseInputFiles(undefined)).toEqual([]);
    expect(() => parseInputFiles(['orders'])).toThrow("--input must be topic=FILE");
    expect(() => parseInputFiles(['=x'])).toThrow("--input must be topic=FILE");
    expect(() => parseInputFiles(['orders=/no/such.jsonl'])).toThrow("--input orders: no such file '/no/such.jsonl'");
  });

  it('reads JSON lines lazily, skipping blank lines', async () => {
    const records = [];
    for await (const r of readJsonLines(orders)) records.push(r);
    expect(records).toEqual([
      { key: 'ann', value: { country: 'UK', amount: 10 }, timestamp: 1000 },
      { key: 'bob', value: { country: 'FR', amount: 5 }, timestamp: 2000 },
      { key: 'ann', value: { country: 'UK', amount: 7 }, timestamp: 3000 },
    ]);
  });

  it('says what is wrong with a line, and where', () => {
    expect(() => inputRecord([1], 'f:1')).toThrow('f:1: expected an object {"key", "value", "timestamp"?}');
    expect(() => inputRecord({ key: 'a' }, 'f:2')).toThrow('f:2: no "value"');
    expect(() => inputRecord({ key: 'a', value: 1, time: 3 }, 'f:3')).toThrow("f:3: unknown field 'time' (fields: key, value, timestamp, headers)");
    expect(() => inputRecord({ key: 'a', value: 1, timestamp: '2024' }, 'f:4')).toThrow('f:4: "timestamp" must be epoch milliseconds, got "2024"');
    expect(() => inputRecord({ value: 1, headers: { a: 1 } }, 'f:5')).toThrow('f:5: "headers" must be an object of strings');
    expect(inputRecord({ value: null }, 'f:6')).toEqual({ key: null, value: null });
  });
});

describe('mergeInputs', () => {
  it('interleaves the topics in event-time order', async () => {
    async function* slow() {
      yield { key: 'x', value: 1, timestamp: 1 };
      yield { key: 'x', value: 4, timestamp: 4 };
    }
    const merged = [];
    for await (const { topic, record } of mergeInputs([
      { topic: 'a', records: slow() },
      { topic: 'b', records: [{ key: 'y', value: 2, timestamp: 2 }, { key: 'y', value: 3, timestamp: 3 }, { key: 'y', value: 5, timestamp: 5 }] },
      { topic: 'c', records: [] },
    ])) merged.push(`${topic}${String(record.value)}`);
    expect(merged).toEqual(['a1', 'b2', 'b3', 'a4', 'b5']);
  });
});

describe('parseIsoDuration', () => {
  it('reads the durations of Kafka’s reset tool', () => {
    expect(parseIsoDuration('PT1H')).toBe(3_600_000);
    expect(parseIsoDuration('PT30M')).toBe(1_800_000);
    expect(parseIsoDuration('P1DT12H')).toBe(129_600_000);
    expect(parseIsoDuration('PT0.5S')).toBe(500);
    expect(parseIsoDuration('p2d')).toBe(172_800_000);
    for (const bad of ['1h', 'P', 'PT', 'P1Y', 'P1M', 'PT1H2', '']) expect(parseIsoDuration(bad), bad).toBeUndefined();
  });
});
