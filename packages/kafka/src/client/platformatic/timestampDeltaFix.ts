import { Writer } from '@platformatic/kafka';

/**
 * Mends how `@platformatic/kafka` writes a record's timestamp delta (the record's timestamp
 * minus the first one of its batch, a zigzag varint64). Its buffer library
 * (`@platformatic/dynamic-buffer` 0.3.1) zigzag-encodes 64-bit values with a 31-bit shift
 * instead of a 63-bit one, and its unsigned varint64 writer stops at the first group of
 * seven bits whose next 25 bits are zero, so a delta below -2^31 ms is written wrong: a
 * record more than 24.8 days older than the first record of its batch reaches the broker
 * with another timestamp. Repartition and changelog batches mix the records of tasks that stand at
 * different event times, so this corrupted event time (windows, stream time, punctuation)
 * in the CRM demo. The client reads the delta correctly; only writing is replaced, on the
 * buffer class every `Writer` uses, once. `test/platformaticTimestamps.test.ts` checks it.
 */
export function mendTimestampDeltas(): void {
  const buffer = Writer.create().dynamicBuffer as unknown as { constructor: { prototype: VarInt64Writer } };
  const prototype = buffer.constructor.prototype;
  if (prototype.writeVarInt64 === writeVarInt64) return;
  prototype.writeVarInt64 = writeVarInt64;
}

interface VarInt64Writer {
  writeVarInt64(this: VarInt64Writer, value: bigint, append?: boolean): void;
  append(buffer: Buffer): void;
  prepend(buffer: Buffer): void;
}

/** Beyond this, a zigzagged value no longer fits a double exactly: the rare value past it takes the bigint path. */
const EXACT_LIMIT = 2 ** 52;

/**
 * Kafka's varlong: the zigzag encoding of a signed 64-bit value, seven bits a byte, low bits first.
 * It runs for every record produced, so a timestamp delta (well within 2^52) is encoded in
 * doubles into one buffer of its exact size: no bigint arithmetic and no array per record.
 */
function writeVarInt64(this: VarInt64Writer, value: bigint, append = true): void {
  const number = Number(value);
  const bytes = number > -EXACT_LIMIT && number < EXACT_LIMIT ? zigzagged(number) : zigzaggedBig(value);
  if (append) this.append(bytes);
  else this.prepend(bytes);
}

function zigzagged(value: number): Buffer {
  let rest = value >= 0 ? value * 2 : -value * 2 - 1;
  let size = 1;
  for (let left = rest; left >= 0x80; left = Math.floor(left / 0x80)) size++;
  const bytes = Buffer.allocUnsafe(size);
  for (let i = 0; i < size - 1; i++) {
    bytes[i] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  bytes[size - 1] = rest;
  return bytes;
}

function zigzaggedBig(value: bigint): Buffer {
  let rest = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  const bytes: number[] = [];
  while (rest > 0x7fn) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return Buffer.from(bytes);
}
