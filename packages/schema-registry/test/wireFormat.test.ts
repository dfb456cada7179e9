import { describe, expect, it } from 'vitest';
import { HEADER_SIZE, readMessageIndexes, readSchemaId, writeHeader, writeMessageIndexes } from '../src/index';
import { describeUnframed } from '../src/wireFormat';

describe('the Confluent wire format', () => {
  it('frames a schema id as the magic byte 0 and 4 big-endian bytes', () => {
    expect(writeHeader(1)).toEqual(Buffer.from([0, 0, 0, 0, 1]));
    expect(writeHeader(0x01020304)).toEqual(Buffer.from([0, 1, 2, 3, 4]));
    expect(HEADER_SIZE).toBe(5);
  });

  it('reads the id back from a framed record and ignores the payload', () => {
    expect(readSchemaId(Buffer.from([0, 0, 0, 1, 0, 0xff, 0xfe]))).toBe(256);
    expect(readSchemaId(Buffer.concat([writeHeader(2_147_483_647), Buffer.from('payload')]))).toBe(2_147_483_647);
  });

  it('refuses ids a 4-byte signed integer cannot hold', () => {
    expect(() => writeHeader(-1)).toThrow(RangeError);
    expect(() => writeHeader(2 ** 31)).toThrow(RangeError);
    expect(() => writeHeader(1.5)).toThrow(RangeError);
  });

  it('says why bytes are not framed: too short, or another first byte', () => {
    expect(readSchemaId(Buffer.from([0, 0, 0]))).toBeUndefined();
    expect(describeUnframed(Buffer.from([0, 0, 0]))).toContain('3 byte(s) are too few');
    const json = Buffer.from('{"id":1}');
    expect(readSchemaId(json)).toBeUndefined();
    expect(describeUnframed(json)).toContain("the first byte is 0x7b ('{'), not the magic byte 0");
  });

  it('writes Protobuf message indexes as zig-zag varints, [0] as the single byte 0', () => {
    expect(writeMessageIndexes([0])).toEqual(Buffer.from([0]));
    // count 1 -> 2, index 1 -> 2
    expect(writeMessageIndexes([1])).toEqual(Buffer.from([2, 2]));
    // count 2 -> 4, then 0 -> 0 and 3 -> 6
    expect(writeMessageIndexes([0, 3])).toEqual(Buffer.from([4, 0, 6]));
    // index 64 -> zig-zag 128, two varint bytes
    expect(writeMessageIndexes([64])).toEqual(Buffer.from([2, 0x80, 0x01]));
  });

  it('reads message indexes back and says where the message starts', () => {
    for (const indexes of [[0], [1], [0, 3], [64], [2, 0, 7]]) {
      const bytes = Buffer.concat([writeMessageIndexes(indexes), Buffer.from([0xaa])]);
      expect(readMessageIndexes(bytes, 0)).toEqual({ indexes, next: bytes.length - 1 });
    }
  });

  it('refuses message indexes that run past the end of the record', () => {
    expect(() => readMessageIndexes(Buffer.from([4, 0]), 0)).toThrow('run past the end of the record');
  });
});
