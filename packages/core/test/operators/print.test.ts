import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Printed, StreamsBuilder, TimeWindows, TopologyError } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

describe('KStream.print', () => {
  it('prints `[label]: key, value` lines labelled with the name of the node printed', () => {
    const lines: string[] = [];
    const builder = new StreamsBuilder();
    builder
      .stream<string | null, unknown>('in')
      .mapValues((v) => v)
      .print(Printed.toFunction((line) => lines.push(line)));
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string | null, unknown>('in');
    input.pipeInput('a', 'text', 1);
    input.pipeInput(null, null, 2);
    input.pipeInput('c', { amount: 3 }, 3);
    input.pipeInput('d', 4.5, 4);
    expect(lines).toEqual([
      '[KSTREAM-MAPVALUES-0000000001]: a, text',
      '[KSTREAM-MAPVALUES-0000000001]: null, null',
      '[KSTREAM-MAPVALUES-0000000001]: c, {"amount":3}',
      '[KSTREAM-MAPVALUES-0000000001]: d, 4.5',
    ]);
  });

  it('prints with a label and a key-value mapper; windowed keys as Kafka Streams prints them', () => {
    const lines: string[] = [];
    const builder = new StreamsBuilder();
    const counts = builder.stream<string, string>('in').groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10)).count().toStream();
    counts.print(Printed.toFunction((line) => lines.push(line)).withLabel('counts'));
    counts.print(
      Printed.toFunction<{ key: string; window: { start: number } }, number>((line) => lines.push(line))
        .withLabel('mapped')
        .withKeyValueMapper((key, count) => `${key.key} had ${count} at ${key.window.start}`),
    );
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, string>('in').pipeInput('a', 'x', 12);
    expect(lines).toEqual(['[counts]: [a@10/20], 1', '[mapped]: a had 1 at 10']);
  });

  it('is a terminal operation: a KSTREAM-PRINTER node without children, or the name given', () => {
    const builder = new StreamsBuilder();
    const stream = builder.stream<string, string>('in');
    expect(stream.print(Printed.toFunction(() => {}))).toBeUndefined();
    stream.print(Printed.toFunction<string, string>(() => {}).withName('debug'));
    const description = builder.build().describe().toString();
    expect(description).toContain('Processor: KSTREAM-PRINTER-0000000001 (stores: [])\n      --> none\n      <-- KSTREAM-SOURCE-0000000000');
    expect(description).toContain('Processor: debug (stores: [])');
  });

  it('writes to a writable stream, one line per record', () => {
    const sink = new PassThrough();
    const chunks: string[] = [];
    sink.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const builder = new StreamsBuilder();
    builder.stream<string, string>('in').print(Printed.toWritable(sink).withLabel('in'));
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, string>('in').pipeInput('k', 'v', 1);
    sink.end();
    expect(chunks.join('')).toBe('[in]: k, v\n');
  });

  it('writes to a file, created when the topology starts and closed when it stops', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tributary-print-'));
    try {
      const path = join(dir, 'printed.txt');
      const builder = new StreamsBuilder();
      builder.stream<string, string>('in').print(Printed.toFile(path));
      const topology = builder.build();
      {
        using driver = new TopologyTestDriver(topology, { partitions: { in: 2 } });
        const input = driver.createInputTopic<string, string>('in');
        input.pipeInput('a', '1', 1);
        input.pipeInput('b', '2', 2);
        expect(readFileSync(path, 'utf8').split('\n').sort()).toEqual(['', '[KSTREAM-SOURCE-0000000000]: a, 1', '[KSTREAM-SOURCE-0000000000]: b, 2']);
      }
      // Run again: appended, not truncated.
      using driver = new TopologyTestDriver(topology);
      driver.createInputTopic<string, string>('in').pipeInput('c', '3', 3);
      expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints to standard output', () => {
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((text: string) => written.push(text) > 0) as unknown as typeof process.stdout.write;
    try {
      const builder = new StreamsBuilder();
      builder.stream<string, string>('in').print(Printed.toSysOut<string, string>().withLabel('out'));
      using driver = new TopologyTestDriver(builder.build());
      driver.createInputTopic<string, string>('in').pipeInput('k', 'v', 1);
    } finally {
      process.stdout.write = write;
    }
    expect(written).toEqual(['[out]: k, v\n']);
  });

  it('validates its arguments', () => {
    const stream = new StreamsBuilder().stream<string, string>('in');
    expect(() => stream.print({} as never)).toThrow(TopologyError);
    expect(() => Printed.toFile('  ')).toThrow(/empty/);
    expect(() => Printed.toFunction(null as never)).toThrow(/sink must be a function/);
    expect(() => Printed.toWritable({} as never)).toThrow(/write/);
    expect(() => Printed.toSysOut().withKeyValueMapper(null as never)).toThrow(/mapper must be a function/);
  });
});
