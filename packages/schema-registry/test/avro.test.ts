import * as avscModule from 'avsc';
import { SchemaValidationError, StreamsError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { InMemorySchemaRegistry, RecordNameStrategy, SchemaNotRegisteredError, SchemaRegistry, TopicRecordNameStrategy, readSchemaId, writeHeader } from '../src/index';

const avsc = (avscModule as unknown as { default?: typeof avscModule }).default ?? avscModule;

interface Order {
  id: string;
  cents: number;
}

const orderV1 = { type: 'record', name: 'Order', namespace: 'shop', fields: [{ name: 'id', type: 'string' }, { name: 'cents', type: 'long' }] };
const orderV2 = { ...orderV1, fields: [...orderV1.fields, { name: 'channel', type: 'string', default: 'web' }] };
const writeUsage = (topic: string) => ({ topic, isKey: false, internal: false, reads: false, writes: true });
const readUsage = (topic: string) => ({ topic, isKey: false, internal: false, reads: true, writes: false });

function setup() {
  const client = new InMemorySchemaRegistry();
  return { client, registry: new SchemaRegistry({ client }) };
}

describe('Avro serde', () => {
  it('writes the Confluent wire format: magic byte, the registered id, the Avro binary encoding', async () => {
    const { client, registry } = setup();
    await client.register('other-value', { schema: '"string"', schemaType: 'AVRO' }); // id 1, so ours is not 1 by chance
    const serde = registry.avro<Order>({ schema: orderV1, autoRegister: true });
    await serde.prepare(writeUsage('orders'));
    const bytes = serde.serialize('orders', { id: 'o-1', cents: 1250 })!;
    expect(bytes.subarray(0, 5)).toEqual(writeHeader(2));
    // An independent Avro decoder reads the payload with the schema the registry holds.
    const registered = await client.schemaById(2);
    expect(avsc.Type.forSchema(JSON.parse(registered.schema)).fromBuffer(bytes.subarray(5))).toMatchObject({ id: 'o-1', cents: 1250 });
    expect((await client.version('orders-value', 'latest')).id).toBe(2);
    expect(serde.deserialize('orders', bytes)).toMatchObject({ id: 'o-1', cents: 1250 });
  });

  it('keeps null a tombstone both ways', async () => {
    const { registry } = setup();
    const serde = registry.avro<Order | null>({ schema: orderV1, autoRegister: true });
    await serde.prepare(writeUsage('orders'));
    expect(serde.serialize('orders', null)).toBeNull();
    expect(serde.deserialize('orders', null)).toBeNull();
  });

  it('refuses a value outside the schema with a SchemaValidationError naming each field', async () => {
    const { registry } = setup();
    const serde = registry.avro<Order>({ schema: orderV1, autoRegister: true });
    await serde.prepare(writeUsage('orders'));
    const bad = { id: 7, cents: 1.5 } as unknown as Order;
    const error = (() => {
      try {
        serde.serialize('orders', bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect((error as SchemaValidationError).issues.map((i) => i.path)).toEqual([['id'], ['cents']]);
    expect((error as Error).message).toBe('schema validation failed: id: Expected Avro string, received 7; cents: Expected Avro long, received 1.5');
  });

  it('with autoRegister off (the default) finds a schema registered beforehand', async () => {
    const { client, registry } = setup();
    const id = await client.register('orders-value', { schema: JSON.stringify(orderV1), schemaType: 'AVRO' });
    const serde = registry.avro<Order>({ schema: orderV1 });
    await serde.prepare(writeUsage('orders'));
    expect(serde.schemaIdFor('orders')).toBe(id);
  });

  it('with autoRegister off fails to prepare for a subject without the schema, naming subject, topic and registry', async () => {
    const { registry } = setup();
    const serde = registry.avro<Order>({ schema: orderV1 });
    const prepared = serde.prepare(writeUsage('orders'));
    await expect(prepared).rejects.toThrow(SchemaNotRegisteredError);
    await expect(prepared).rejects.toThrow(
      "the schema is not registered under subject 'orders-value' (for topic 'orders') in Schema Registry mock://in-memory, and autoRegister is off: register the schema under that subject first, or create the serde with autoRegister: true",
    );
  });

  it('registers the subjects of internal topics even with autoRegister off, unless autoRegisterInternal is false', async () => {
    const { client, registry } = setup();
    const changelog = { topic: 'app-totals-changelog', isKey: false, internal: true, reads: true, writes: true };
    await registry.avro<Order>({ schema: orderV1 }).prepare(changelog);
    expect(await client.versions('app-totals-changelog-value')).toEqual([1]);
    await expect(registry.avro<Order>({ schema: orderV1, autoRegisterInternal: false }).prepare({ ...changelog, topic: 'app-other-changelog' })).rejects.toThrow(SchemaNotRegisteredError);
  });

  it('says a topic it was not prepared for must be prepared, instead of writing', async () => {
    const { registry } = setup();
    const serde = registry.avro<Order>({ schema: orderV1, autoRegister: true });
    expect(() => serde.serialize('orders', { id: 'a', cents: 1 })).toThrow("has no schema id for topic 'orders' (subject 'orders-value'): it was not prepared for that topic");
  });

  it('reads a newer writer schema into its own (older) schema by Avro resolution, after fetching the unknown id', async () => {
    const { client, registry } = setup();
    const v2 = await client.register('orders-value', { schema: JSON.stringify(orderV2), schemaType: 'AVRO' });
    const written = Buffer.concat([writeHeader(v2), avsc.Type.forSchema(orderV2 as never).toBuffer({ id: 'o-2', cents: 5, channel: 'shop' })]);
    const reader = registry.avro<Order>({ schema: orderV1 });
    expect(() => reader.deserialize('orders', written)).toThrow(`schema id ${v2} (topic 'orders') was not fetched from Schema Registry mock://in-memory before the record was read`);
    const fetching = reader.prepareDeserialize('orders', written);
    expect(fetching).toBeInstanceOf(Promise);
    await fetching;
    expect(reader.prepareDeserialize('orders', written)).toBeUndefined();
    const read = reader.deserialize('orders', written);
    expect(read).toMatchObject({ id: 'o-2', cents: 5 });
    expect(read).not.toHaveProperty('channel');
  });

  it("without a schema reads every record with its writer's schema", async () => {
    const { client, registry } = setup();
    const v2 = await client.register('orders-value', { schema: JSON.stringify(orderV2), schemaType: 'AVRO' });
    const written = Buffer.concat([writeHeader(v2), avsc.Type.forSchema(orderV2 as never).toBuffer({ id: 'o-3', cents: 7, channel: 'app' })]);
    const generic = registry.avro();
    await generic.prepare(readUsage('orders'));
    expect(generic.deserialize('orders', written)).toMatchObject({ id: 'o-3', cents: 7, channel: 'app' });
  });

  it("prepared for reading, fetches the subject's versions so records read without a lookup each", async () => {
    const { client, registry } = setup();
    const v1 = await client.register('orders-value', { schema: JSON.stringify(orderV1), schemaType: 'AVRO' });
    const v2 = await client.register('orders-value', { schema: JSON.stringify(orderV2), schemaType: 'AVRO' });
    const reader = registry.avro<Order>({ schema: orderV1 });
    await reader.prepare(readUsage('orders'));
    for (const id of [v1, v2]) expect(reader.prepareDeserialize('orders', Buffer.concat([writeHeader(id), Buffer.from([2, 0x61, 0])]))).toBeUndefined();
  });

  it('reports an id the registry does not have when the record is read, and does not ask again', async () => {
    const { registry } = setup();
    const serde = registry.avro<Order>({ schema: orderV1 });
    const unknown = Buffer.concat([writeHeader(99), Buffer.from([0])]);
    await serde.prepareDeserialize('orders', unknown);
    expect(() => serde.deserialize('orders', unknown)).toThrow(/schema id 99 \(topic 'orders'\) cannot be used: Schema Registry mock:\/\/in-memory: schema id 99 is not registered/);
    expect(serde.prepareDeserialize('orders', unknown)).toBeUndefined();
  });

  it('refuses bytes that are not framed, saying so', () => {
    const { registry } = setup();
    expect(() => registry.avro().deserialize('orders', Buffer.from('{"id":"o-1"}'))).toThrow("the first byte is 0x7b ('{'), not the magic byte 0 of the Confluent wire format");
  });

  it('refuses a schema id of another schema language', async () => {
    const { client, registry } = setup();
    const id = await client.register('orders-value', { schema: '{"type":"object"}', schemaType: 'JSON' });
    const serde = registry.avro();
    const bytes = Buffer.concat([writeHeader(id), Buffer.from('{}')]);
    await serde.prepareDeserialize('orders', bytes);
    expect(() => serde.deserialize('orders', bytes)).toThrow(`schema id ${id} in Schema Registry mock://in-memory is a JSON schema; the serde schema-registry avro reads and writes AVRO`);
  });

  it('names subjects after the record with RecordNameStrategy and TopicRecordNameStrategy, and after the topic and role by default', () => {
    const { registry } = setup();
    expect(registry.avro({ schema: orderV1 }).subjectOf('orders')).toBe('orders-value');
    expect(registry.avro({ schema: orderV1, isKey: true }).subjectOf('orders')).toBe('orders-key');
    expect(registry.avro({ schema: orderV1, subjectNameStrategy: RecordNameStrategy }).subjectOf('orders')).toBe('shop.Order');
    expect(registry.avro({ schema: orderV1, subjectNameStrategy: TopicRecordNameStrategy }).subjectOf('orders')).toBe('orders-shop.Order');
    expect(() => registry.avro({ subjectNameStrategy: RecordNameStrategy }).subjectOf('orders')).toThrow("RecordNameStrategy names the subject after the record type, but this serde's schema names none (for topic 'orders')");
  });

  it('with RecordNameStrategy writes any topic once the record subject is prepared', async () => {
    const { registry } = setup();
    const serde = registry.avro<Order>({ schema: orderV1, subjectNameStrategy: RecordNameStrategy, autoRegister: true });
    await serde.prepare(writeUsage('orders'));
    expect(readSchemaId(serde.serialize('archived-orders', { id: 'a', cents: 1 })!)).toBe(serde.schemaIdFor('orders'));
  });

  it('refuses to serve keys when made for values, since the subject differs', async () => {
    const { registry } = setup();
    await expect(registry.avro({ schema: orderV1 }).prepare({ ...writeUsage('orders'), isKey: true })).rejects.toThrow(StreamsError);
    await expect(registry.avro({ schema: orderV1 }).prepare({ ...writeUsage('orders'), isKey: true })).rejects.toThrow(
      "was made for record values but serves the keys of topic 'orders': keys and values have different subjects, so create it with isKey: true",
    );
  });

  it('with useLatestVersion writes with the latest version of the subject, needing no schema of its own', async () => {
    const { client, registry } = setup();
    await client.register('orders-value', { schema: JSON.stringify(orderV1), schemaType: 'AVRO' });
    const latest = await client.register('orders-value', { schema: JSON.stringify(orderV2), schemaType: 'AVRO' });
    const serde = registry.avro({ useLatestVersion: true });
    await serde.prepare(writeUsage('orders'));
    const bytes = serde.serialize('orders', { id: 'x', cents: 3, channel: 'web' })!;
    expect(readSchemaId(bytes)).toBe(latest);
    await expect(registry.avro({ useLatestVersion: true }).prepare(writeUsage('returns'))).rejects.toThrow("subject 'returns-value' (for topic 'returns') has no version in Schema Registry mock://in-memory, and useLatestVersion writes with its latest version");
  });

  it('without a schema and without useLatestVersion cannot write, and says what to give it', async () => {
    const { registry } = setup();
    await expect(registry.avro().prepare(writeUsage('orders'))).rejects.toThrow("has no schema to write topic 'orders' with (subject 'orders-value'): give it a schema, or useLatestVersion: true");
  });

  it('asks the registry once per subject and schema, however many serdes and topics', async () => {
    const { client, registry } = setup();
    let registrations = 0;
    const register = client.register.bind(client);
    client.register = (subject, schema) => (registrations++, register(subject, schema));
    const serdes = [registry.avro({ schema: orderV1, autoRegister: true }), registry.avro({ schema: orderV1, autoRegister: true })];
    await Promise.all(serdes.flatMap((s) => [s.prepare(writeUsage('orders')), s.prepare(writeUsage('orders'))]));
    expect(registrations).toBe(1);
  });
});
