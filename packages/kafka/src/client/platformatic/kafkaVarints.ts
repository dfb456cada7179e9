/**
 * Kafka's variable-length integers, sized and written in place into a buffer of known size:
 * the record batch encoder sizes a request first and then writes it into one allocation, so
 * every varint here comes as a pair, its size and its writer (which returns the next offset).
 *
 * - varint: a signed 32-bit value, zigzag-encoded (record lengths, offset deltas, byte lengths).
 * - varlong: a signed 64-bit value, zigzag-encoded (a record's timestamp delta). Deltas within
 *   ±2^52 are encoded in doubles; beyond, in bigints (a delta can be any int64, see
 *   `timestampDeltaFix.ts` for the client's bug this must not repeat).
 * - unsigned varint: the lengths and counts of the flexible (compact) request fields.
 */

/** Beyond this, a zigzagged value no longer fits a double exactly: such a delta is a bigint. */
export const VARLONG_EXACT_LIMIT = 2 ** 52;

/** The size of an unsigned varint (a non-negative value below 2^32). */
export function unsignedVarIntSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/** Writes an unsigned varint at `offset`; returns the offset after it. */
export function writeUnsignedVarInt(target: Buffer, offset: number, value: number): number {
  let rest = value >>> 0;
  while (rest >= 0x80) {
    target[offset++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  target[offset++] = rest;
  return offset;
}

/** The size of a signed 32-bit varint. */
export function varIntSize(value: number): number {
  return unsignedVarIntSize(((value << 1) ^ (value >> 31)) >>> 0);
}

/** Writes a signed 32-bit varint at `offset`; returns the offset after it. */
export function writeVarInt(target: Buffer, offset: number, value: number): number {
  return writeUnsignedVarInt(target, offset, (value << 1) ^ (value >> 31));
}

/** The size of a signed 64-bit varlong: a number within ±{@link VARLONG_EXACT_LIMIT}, else a bigint. */
export function varLongSize(value: number | bigint): number {
  if (typeof value === 'bigint') return varLongSizeBig(value);
  let rest = value >= 0 ? value * 2 : -value * 2 - 1;
  let size = 1;
  while (rest >= 0x80) {
    rest = Math.floor(rest / 0x80);
    size++;
  }
  return size;
}

/** Writes a signed 64-bit varlong at `offset` (a number within ±{@link VARLONG_EXACT_LIMIT}, else a bigint); returns the offset after it. */
export function writeVarLong(target: Buffer, offset: number, value: number | bigint): number {
  if (typeof value === 'bigint') return writeVarLongBig(target, offset, value);
  let rest = value >= 0 ? value * 2 : -value * 2 - 1;
  while (rest >= 0x80) {
    target[offset++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  target[offset++] = rest;
  return offset;
}

function zigzag64(value: bigint): bigint {
  return BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
}

function varLongSizeBig(value: bigint): number {
  let rest = zigzag64(value);
  let size = 1;
  while (rest > 0x7fn) {
    rest >>= 7n;
    size++;
  }
  return size;
}

function writeVarLongBig(target: Buffer, offset: number, value: bigint): number {
  let rest = zigzag64(value);
  while (rest > 0x7fn) {
    target[offset++] = Number(rest & 0x7fn) | 0x80;
    rest >>= 7n;
  }
  target[offset++] = Number(rest);
  return offset;
}
