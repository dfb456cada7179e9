/**
 * The Confluent wire format, which every Schema Registry serializer writes and reads: a magic
 * byte `0`, the schema id as a 4-byte big-endian integer, then the payload in the schema's
 * encoding. Protobuf payloads start with the message indexes ({@link writeMessageIndexes}).
 */

/** The first byte of every framed record. */
export const MAGIC_BYTE = 0;
/** Magic byte and schema id. */
export const HEADER_SIZE = 5;

/** The 5 header bytes for schema `id`, to put in front of a payload. */
export function writeHeader(id: number): Buffer {
  if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) throw new RangeError(`a schema id must be an integer from 0 to 2147483647, got ${id}`);
  const header = Buffer.allocUnsafe(HEADER_SIZE);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeInt32BE(id, 1);
  return header;
}

/**
 * The schema id of a framed record, or `undefined` when the bytes are not in the wire format
 * (too short, or another first byte): {@link describeUnframed} says why.
 */
export function readSchemaId(data: Buffer): number | undefined {
  if (data.length < HEADER_SIZE || data[0] !== MAGIC_BYTE) return undefined;
  return data.readInt32BE(1);
}

/** Why `data` is not a framed record, for error messages. */
export function describeUnframed(data: Buffer): string {
  if (data.length < HEADER_SIZE) {
    return `${data.length} byte(s) are too few for the Confluent wire format (a magic byte 0 and a 4-byte schema id come first)`;
  }
  const first = data[0]!;
  const printable = first >= 0x20 && first < 0x7f ? ` ('${String.fromCharCode(first)}')` : '';
  return `the first byte is 0x${first.toString(16).padStart(2, '0')}${printable}, not the magic byte 0 of the Confluent wire format: was the record written without a Schema Registry serializer?`;
}

/**
 * Protobuf's message indexes: the path from the schema file to the message type written (the
 * index of a top-level message, then of a nested one inside it...), as a zig-zag varint count
 * followed by zig-zag varint indexes. The first message of the file, `[0]`, is the single byte 0.
 */
export function writeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const bytes: number[] = [];
  writeZigZag(bytes, indexes.length);
  for (const index of indexes) writeZigZag(bytes, index);
  return Buffer.from(bytes);
}

/** Reads the message indexes at `offset`; `next` is where the message itself starts. */
export function readMessageIndexes(data: Buffer, offset: number): { indexes: number[]; next: number } {
  let position = offset;
  const read = (): number => {
    const { value, next } = readZigZag(data, position);
    position = next;
    return value;
  };
  const count = read();
  if (count === 0) return { indexes: [0], next: position };
  if (count < 0 || count > 100) throw new RangeError(`the Protobuf message index count ${count} at byte ${offset} is not valid`);
  const indexes: number[] = [];
  for (let i = 0; i < count; i++) indexes.push(read());
  return { indexes, next: position };
}

function writeZigZag(bytes: number[], value: number): void {
  let n = ((value << 1) ^ (value >> 31)) >>> 0;
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  bytes.push(n);
}

function readZigZag(data: Buffer, offset: number): { value: number; next: number } {
  let result = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    if (position >= data.length) throw new RangeError(`the Protobuf message indexes run past the end of the record (byte ${position})`);
    const byte = data[position++]!;
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
    if (shift > 28) throw new RangeError(`a Protobuf message index at byte ${offset} is longer than 5 bytes`);
  }
  const n = result >>> 0;
  return { value: (n >>> 1) ^ -(n & 1), next: position };
}
