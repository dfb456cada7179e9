import { Packr } from 'msgpackr';

/**
 * How a store entry is kept on disk: MessagePack, which round-trips what aggregations hold
 * (objects, arrays, strings, numbers, booleans, null, Buffers, Dates, Maps, Sets). Like a
 * JSON changelog, it keeps no class prototypes or functions. No shared record structures:
 * each entry decodes alone, so a store needs nothing besides its entries.
 */
const packr = new Packr({ useRecords: false, moreTypes: true });

export function encodeEntry(entry: readonly unknown[]): Buffer {
  return packr.pack(entry);
}

export function decodeEntry(bytes: Uint8Array): unknown[] {
  return packr.unpack(bytes) as unknown[];
}
