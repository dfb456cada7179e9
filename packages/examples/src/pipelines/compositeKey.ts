/**
 * Composite keys of the CRM stores, as Kafka Streams applications key their stores: one entry
 * per (customer, product), (product, invoice), ... rather than one growing value per customer or
 * product, so that a change writes one small changelog record. The parts are joined with `|`,
 * which no stock code, invoice number or customer id contains (the tests check the data set), so
 * every key of one first part sorts together and a range scan reads them (see {@link keysStartingWith}).
 */
export const KEY_SEPARATOR = '|';

/** `first|second`. */
export function compositeKey(first: string, second: string): string {
  return first + KEY_SEPARATOR + second;
}

/** The part of a {@link compositeKey} before the separator. */
export function firstPart(key: string): string {
  return key.slice(0, key.indexOf(KEY_SEPARATOR));
}

/** The part of a {@link compositeKey} after the separator. */
export function secondPart(key: string): string {
  return key.slice(key.indexOf(KEY_SEPARATOR) + 1);
}

/**
 * The bounds of a range scan over every key whose first part is `first`: `store.range(...keysStartingWith('85123A'))`
 * reads the entries of product 85123A, in key order.
 */
export function keysStartingWith(first: string): [from: string, to: string] {
  return [first + KEY_SEPARATOR, first + KEY_SEPARATOR + '\uffff'];
}
