import * as protobufModule from 'protobufjs';
import { SchemaValidationError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { InMemorySchemaRegistry, RecordNameStrategy, SchemaRegistry, readSchemaId } from '../src/index';

const protobuf = (protobufModule as unknown as { default?: typeof protobufModule }).default ?? protobufModule;

const shopProto = `syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";

message Order {
  string id = 1;
  int64 cents = 2;
  Status status = 3;
  repeated Line lines = 4;
  map<string, string> tags = 5;
  google.protobuf.Timestamp placed_at = 6;
  oneof payment { string card = 7; string iban = 8; }
  message Line { string sku = 1; uint32 quantity = 2; }
}
enum Status { NEW = 0; PAID = 1; }
message Refund { string order_id = 1; }
`;

const writeUsage = (topic: string) => ({ topic, isKey: false, internal: false, reads: false, writes: true });

async function prepared(options: Parameters<SchemaRegistry['protobuf']>[0]) {
  const client = new InMemorySchemaRegistry();
  const registry = new SchemaRegistry({ client });
  const serde = registry.protobuf({ schema: shopProto, autoRegister: true, ...options });
  await serde.prepare(writeUsage('orders'));
  return { client, registry, serde };
}

describe('Protobuf serde', () => {
  it('writes the first message with the single index byte 0, and an independent decoder reads it with the registered schema', async () => {
    const { client, serde } = await prepared({});
    const bytes = serde.serialize('orders', { id: 'o-1', cents: '12345678901234567', status: 'PAID', lines: [{ sku: 'a', quantity: 2 }], tags: { vip: 'yes' }, card: '4111' })!;
    const id = readSchemaId(bytes)!;
    expect(bytes[5]).toBe(0); // message indexes [0]
    const registered = await client.schemaById(id);
    expect(registered.schemaType).toBe('PROTOBUF');
    const root = new protobuf.Root();
    root.addJSON(protobuf.common.get('google/protobuf/timestamp.proto')!.nested!);
    protobuf.parse(registered.schema, root, { keepCase: true });
    const Order = root.lookupType('shop.Order');
    const decoded = Order.toObject(Order.decode(bytes.subarray(6)), { longs: String, enums: String });
    expect(decoded).toEqual({ id: 'o-1', cents: '12345678901234567', status: 'PAID', lines: [{ sku: 'a', quantity: 2 }], tags: { vip: 'yes' }, card: '4111' });
  });

  it('reads back plain objects: 64-bit integers as strings, enums by name, defaults present, the oneof named', async () => {
    const { serde } = await prepared({});
    const bytes = serde.serialize('orders', { id: 'o-2', cents: 5, placed_at: { seconds: 1_700_000_000, nanos: 0 }, iban: 'DE00' })!;
    expect(serde.deserialize('orders', bytes)).toEqual({
      id: 'o-2',
      cents: '5',
      status: 'NEW',
      lines: [],
      tags: {},
      placed_at: { seconds: '1700000000', nanos: 0 },
      iban: 'DE00',
      payment: 'iban',
    });
    // What it reads it writes again unchanged.
    const again = serde.deserialize('orders', serde.serialize('orders', serde.deserialize('orders', bytes))!);
    expect(again).toEqual(serde.deserialize('orders', bytes));
  });

  it('writes a later or nested message with its index path', async () => {
    const refund = await prepared({ messageType: 'Refund' });
    const refundBytes = refund.serde.serialize('orders', { order_id: 'o-1' })!;
    expect([...refundBytes.subarray(5, 7)]).toEqual([2, 2]); // one index, 1 (zig-zag 2): the enum declared between is no message
    expect(refund.serde.deserialize('orders', refundBytes)).toEqual({ order_id: 'o-1' });
    const line = await prepared({ messageType: 'shop.Order.Line' });
    const lineBytes = line.serde.serialize('orders', { sku: 'b', quantity: 1 })!;
    expect([...lineBytes.subarray(5, 8)]).toEqual([4, 0, 0]); // two indexes: 0 then 0
    expect(line.serde.deserialize('orders', lineBytes)).toEqual({ sku: 'b', quantity: 1 });
  });

  it('refuses a value outside the message with every issue and its path, where protobufjs would coerce silently', async () => {
    const { serde } = await prepared({});
    const write = () => serde.serialize('orders', { id: 5, cents: 'ten', status: 'LOST', lines: [{ sku: 'a', quantity: -1 }], colour: 'red' });
    expect(write).toThrow(SchemaValidationError);
    expect(write).toThrow(
      'schema validation failed: id: Expected a string, received 5; cents: Expected a 64-bit integer: a safe integer, a bigint or a decimal string (int64), received "ten"; status: Expected a value of enum shop.Status (NEW, PAID), received "LOST"; lines.0.quantity: Expected an integer from 0 to 4294967295 (uint32), received -1; colour: Message shop.Order has no field \'colour\'',
    );
  });

  it('takes 64-bit integers as safe numbers, bigints or decimal strings, within their range', async () => {
    const { serde } = await prepared({});
    for (const cents of [42, 2n ** 63n - 1n, '-9223372036854775808']) {
      expect(serde.deserialize('orders', serde.serialize('orders', { id: 'o', cents })!)).toMatchObject({ cents: String(cents) });
    }
    expect(() => serde.serialize('orders', { id: 'o', cents: '9223372036854775808' })).toThrow('cents: Expected a 64-bit integer');
    expect(() => serde.serialize('orders', { id: 'o', cents: 2 ** 60 })).toThrow('cents: Expected a 64-bit integer');
  });

  it('names the record subject after the full message name', async () => {
    const { serde } = await prepared({ subjectNameStrategy: RecordNameStrategy, messageType: 'Refund' });
    expect(serde.subjectOf('orders')).toBe('shop.Refund');
  });

  it('says which message is missing, and refuses imports other than the well-known types', () => {
    const registry = new SchemaRegistry({ client: new InMemorySchemaRegistry() });
    expect(() => registry.protobuf({ schema: shopProto, messageType: 'Invoice' })).toThrow("the Protobuf schema has no message 'Invoice' (its messages: Order, Refund)");
    expect(() => registry.protobuf({ schema: 'syntax = "proto3";\nimport "other/customer.proto";\nmessage A { string x = 1; }' })).toThrow(
      "the Protobuf schema imports 'other/customer.proto', and schema references are not supported",
    );
  });
});
