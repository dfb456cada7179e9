// The input of the bad-input scenario: good payments and every kind of bad record, each
// with headers `seq` and `kind` so the dead-letter topic can be checked record by record.
import { createHash } from 'node:crypto';
import type { Random } from './random';

export type RecordKind =
  | 'good'
  | 'invalid-json'
  | 'schema'
  | 'empty'
  | 'null'
  | 'binary-key'
  | 'throws'
  | 'big-invalid-json'
  | 'big-schema'
  | 'invalid-json-run';

export interface PlannedRecord {
  seq: number;
  kind: RecordKind;
  partition: number;
  key: Buffer;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Kinds that fail in the callback (processing errors); the other bad ones fail to deserialize. */
export const processingKinds: ReadonlySet<RecordKind> = new Set(['null', 'throws']);

const mixedKinds: RecordKind[] = ['invalid-json', 'schema', 'empty', 'null', 'binary-key', 'throws'];

export interface BadInputPlan {
  records: PlannedRecord[];
  good: number;
  bad: number;
}

/**
 * `good` payments and `bad` bad records: `badInARow` invalid JSON values one after the other
 * in partition 0, `big` values of `bigBytes` (half invalid JSON, half failing the schema), and
 * the rest spread over the other kinds, shuffled among the good ones.
 */
export function planBadInput(
  { good, bad, badInARow, big, bigBytes, partitions }: { good: number; bad: number; badInARow: number; big: number; bigBytes: number; partitions: number },
  random: Random,
): BadInputPlan {
  let seq = 0;
  const make = (kind: RecordKind, partition?: number): PlannedRecord => {
    const s = seq++;
    const text = (json: unknown) => Buffer.from(JSON.stringify(json));
    let key = Buffer.from(`p${s}`);
    let value: Buffer | null;
    switch (kind) {
      case 'good':
        value = text({ id: s, amount: s % 1_000 });
        break;
      case 'invalid-json':
      case 'invalid-json-run':
        value = Buffer.from(`{"id": ${s}, "amount":`);
        break;
      case 'schema':
        value = text(s % 2 === 0 ? { id: s, amount: -1 } : { id: `not-a-number-${s}`, amount: 1 });
        break;
      case 'empty':
        value = Buffer.alloc(0);
        break;
      case 'null':
        value = null;
        break;
      case 'binary-key':
        // Not UTF-8 (0xC3 must start a two-byte sequence); the value is a valid payment.
        key = Buffer.concat([Buffer.from([0xc3, 0x28, 0xff, 0x00]), Buffer.from(String(s))]);
        value = text({ id: s, amount: 1 });
        break;
      case 'throws':
        value = text({ id: s, amount: 1, explode: true });
        break;
      case 'big-invalid-json':
        value = Buffer.from(`{"id":${s},"note":"${'x'.repeat(bigBytes)}`);
        break;
      case 'big-schema':
        value = text({ id: s, amount: 1, note: 'y'.repeat(bigBytes) });
        break;
    }
    return { seq: s, kind, partition: partition ?? s % partitions, key, value, headers: { seq: String(s), kind } };
  };

  const mixed: PlannedRecord[] = [];
  for (let i = 0; i < good; i++) mixed.push(make('good'));
  for (let i = 0; i < big; i++) mixed.push(make(i % 2 === 0 ? 'big-invalid-json' : 'big-schema'));
  const rest = bad - badInARow - big;
  if (rest < 0) throw new Error(`bad (${bad}) must cover badInARow (${badInARow}) and big (${big})`);
  for (let i = 0; i < rest; i++) mixed.push(make(mixedKinds[i % mixedKinds.length]!));
  const shuffled = random.shuffle(mixed);
  const half = Math.floor(shuffled.length / 2);
  const run = Array.from({ length: badInARow }, () => make('invalid-json-run', 0));
  return { records: [...shuffled.slice(0, half), ...run, ...shuffled.slice(half)], good, bad };
}

/** A short fingerprint of a value, to compare dead letters with what was produced. */
export function fingerprint(value: Buffer | null): string {
  return value === null ? 'null' : `${value.length}:${createHash('sha1').update(value).digest('hex')}`;
}
