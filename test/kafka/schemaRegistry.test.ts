// Schema Registry serdes end to end: a real registry (Apicurio Registry's Confluent-compatible
// API, tools/schema-registry) and a real broker. What the topologies write is checked by an
// independent consumer that frames and decodes records itself, with the schema it fetches from
// the registry by id over plain HTTP, not through our serdes.
import * as avscModule from 'avsc';
import * as protobufModule from 'protobufjs';
import { Serdes, StreamsBuilder } from '@tributary/core';
import { KafkaStreams } from '@tributary/kafka';
import { IncompatibleSchemaError, SchemaNotRegisteredError, SchemaRegistry } from '@tributary/schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopic, produce, registryRequest, schemaRegistry, uniqueName, waitForMessages, type ConsumedMessage, type SchemaRegistryUnderTest } from '../harness';
import { startApp, testOptions, waitForState } from './support';

const avsc = (avscModule as unknown as { default?: typeof avscModule }).default ?? avscModule;
const protobuf = (protobufModule as unknown as { default?: typeof protobufModule }).default ?? protobufModule;

interface Order {
  id: string;
  customer: string;
  cents: number;
}
interface LargeOrder {
  orderId: string;
  customer: string;
  euros: number;
}

const orderV1 = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'customer', type: 'string' },
    { name: 'cents', type: 'long' },
  ],
};
// A backward-compatible change: a field with a default.
const orderV2 = { ...orderV1, fields: [...orderV1.fields, { name: 'channel', type: 'string', default: 'web' }] };
const largeOrder = {
  type: 'record',
  name: 'LargeOrder',
  namespace: 'shop',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'customer', type: 'string' },
    { name: 'euros', type: 'double' },
  ],
};

let registry: SchemaRegistryUnderTest;

beforeAll(async () => {
  registry = await schemaRegistry();
}, 600_000);

afterAll(async () => {
  await registry?.[Symbol.asyncDispose]();
});

/** Registers a schema the way a schema pipeline would, over plain HTTP; returns its id. */
async function register(subject: string, schema: object | string, schemaType?: 'PROTOBUF' | 'JSON'): Promise<number> {
  const body = { schema: typeof schema === 'string' ? schema : JSON.stringify(schema), ...(schemaType ? { schemaType } : {}) };
  const { status, json } = await registryRequest<{ id: number }>(registry.url, 'POST', `/subjects/${subject}/versions`, body);
  expect(status, JSON.stringify(json)).toBe(200);
  return json.id;
}

async function setCompatibility(subject: string, level: string): Promise<void> {
  const { status } = await registryRequest(registry.url, 'PUT', `/config/${subject}`, { compatibility: level });
  expect(status).toBe(200);
}

/** The Confluent framing, written here by hand: magic byte 0, then the id as 4 big-endian bytes. */
function frame(id: number, payload: Buffer | Uint8Array): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, payload]);
}

/** Splits a framed record and fetches its writer's schema by id from the registry. */
async function unframe(data: Buffer | null): Promise<{ id: number; schema: string; schemaType: string; payload: Buffer }> {
  expect(data).not.toBeNull();
  expect(data![0]).toBe(0);
  const id = data!.readInt32BE(1);
  const { status, json } = await registryRequest<{ schema: string; schemaType?: string }>(registry.url, 'GET', `/schemas/ids/${id}`);
  expect(status).toBe(200);
  return { id, schema: json.schema, schemaType: json.schemaType ?? 'AVRO', payload: data!.subarray(5) };
}

const byOffset = (messages: ConsumedMessage[]) => [...messages].sort((a, b) => a.partition - b.partition || a.offset - b.offset);

describe('Schema Registry serdes on Kafka', () => {
  it('a topology reads Avro and writes Avro through the registry, and reads a schema version registered while it runs', async () => {
    const input = uniqueName('orders');
    const output = uniqueName('large-orders');
    await createTopic(input, 2);
    await createTopic(output, 2);
    await setCompatibility(`${input}-value`, 'BACKWARD');
    const v1 = await register(`${input}-value`, orderV1);
    const outputId = await register(`${output}-value`, largeOrder);

    const sr = new SchemaRegistry({ url: registry.url });
    const builder = new StreamsBuilder();
    builder
      .stream<string, Order>(input, { keySerde: Serdes.string(), valueSerde: sr.avro<Order>({ schema: orderV1 }) })
      .filter((_id, order) => order.cents >= 10_000)
      .mapValues((order): LargeOrder => ({ orderId: order.id, customer: order.customer, euros: order.cents / 100 }))
      .to(output, { keySerde: Serdes.string(), valueSerde: sr.avro<LargeOrder>({ schema: largeOrder }) });

    // An upstream producer on version 1, framing its records itself.
    const typeV1 = avsc.Type.forSchema(orderV1 as never);
    const before = Array.from({ length: 20 }, (_, i) => ({ id: `o-${i}`, customer: `c${i % 3}`, cents: i * 1_000 }));
    await produce(input, before.map((o) => ({ key: o.id, value: frame(v1, typeV1.toBuffer(o)) })));

    await using app = await startApp(builder.build());
    await waitForState(app, 'RUNNING');

    // The producer moves to version 2 while the application runs: a schema id it has never seen.
    const v2 = await register(`${input}-value`, orderV2);
    expect(v2).not.toBe(v1);
    const typeV2 = avsc.Type.forSchema(orderV2 as never);
    const after = Array.from({ length: 20 }, (_, i) => ({ id: `o-${20 + i}`, customer: `c${i % 3}`, cents: i * 1_000, channel: 'shop' }));
    await produce(input, after.map((o) => ({ key: o.id, value: frame(v2, typeV2.toBuffer(o)) })));

    const expected = [...before, ...after].filter((o) => o.cents >= 10_000).map((o) => ({ orderId: o.id, customer: o.customer, euros: o.cents / 100 }));
    const messages = await waitForMessages(output, { count: expected.length, timeoutMs: 60_000 });
    const decoded = [];
    for (const message of byOffset(messages)) {
      const { id, schema, payload } = await unframe(message.value);
      expect(id).toBe(outputId);
      const value = avsc.Type.forSchema(JSON.parse(schema) as never).fromBuffer(payload) as LargeOrder;
      expect(message.key?.toString()).toBe(value.orderId);
      decoded.push({ ...value });
    }
    const sortById = (list: LargeOrder[]) => [...list].sort((a, b) => a.orderId.localeCompare(b.orderId));
    expect(sortById(decoded)).toEqual(sortById(expected));
    expect(app.metrics().processed).toBe(40);
  });

  it('refuses to start when auto-registration meets an incompatible schema, naming subject, compatibility level and the registry\'s reason', async () => {
    const input = uniqueName('orders');
    const output = uniqueName('large-orders');
    await createTopic(input);
    await createTopic(output);
    const subject = `${output}-value`;
    await setCompatibility(subject, 'BACKWARD');
    await register(subject, largeOrder);
    // euros as a string cannot read what was written as a double.
    const incompatible = { ...largeOrder, fields: largeOrder.fields.map((f) => (f.name === 'euros' ? { name: 'euros', type: 'string' } : f)) };

    const sr = new SchemaRegistry({ url: registry.url });
    const builder = new StreamsBuilder();
    builder.stream<string, Order>(input, { valueSerde: sr.avro<Order>({ schema: orderV1, autoRegister: true }) }).to(output, { valueSerde: sr.avro({ schema: incompatible, autoRegister: true }) });
    const app = new KafkaStreams(builder.build(), testOptions());
    const error = await app.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IncompatibleSchemaError);
    const incompatibility = error as IncompatibleSchemaError;
    expect(incompatibility.subject).toBe(subject);
    expect(incompatibility.compatibility).toBe('BACKWARD');
    expect(incompatibility.registryMessage).toMatch(/incompatible/i);
    expect(incompatibility.message).toBe(
      `Schema Registry ${registry.url} refused the schema for subject '${subject}': it is not compatible with the subject's earlier versions under compatibility level BACKWARD. The registry says: ${incompatibility.registryMessage}`,
    );
    expect(app.state).toBe('ERROR');
    // Nothing was registered by the attempt.
    const versions = await registryRequest<number[]>(registry.url, 'GET', `/subjects/${subject}/versions`);
    expect(versions.json).toEqual([1]);
  });

  it('with auto-registration off (the default) refuses to start on a subject without the schema, naming subject and registry', async () => {
    const input = uniqueName('orders');
    const output = uniqueName('large-orders');
    await createTopic(input);
    await createTopic(output);
    await register(`${input}-value`, orderV1);
    const sr = new SchemaRegistry({ url: registry.url });
    const builder = new StreamsBuilder();
    builder.stream<string, Order>(input, { valueSerde: sr.avro<Order>({ schema: orderV1 }) }).to(output, { valueSerde: sr.avro({ schema: largeOrder }) });
    const app = new KafkaStreams(builder.build(), testOptions());
    const start = app.start();
    await expect(start).rejects.toBeInstanceOf(SchemaNotRegisteredError);
    await expect(start).rejects.toThrow(
      `the schema is not registered under subject '${output}-value' (for topic '${output}') in Schema Registry ${registry.url}, and autoRegister is off: register the schema under that subject first, or create the serde with autoRegister: true`,
    );
    expect(app.state).toBe('ERROR');
    expect((await registryRequest(registry.url, 'GET', `/subjects/${output}-value/versions`)).status).toBe(404);
  });

  it('a topology reads and writes Protobuf through the registry; the output carries the message indexes of the message written', async () => {
    const input = uniqueName('orders-pb');
    const output = uniqueName('order-summaries-pb');
    await createTopic(input);
    await createTopic(output);
    const proto = `syntax = "proto3";
package shop;
message Order { string id = 1; int64 cents = 2; Status status = 3; repeated string skus = 4; }
enum Status { NEW = 0; PAID = 1; }
message Summary { string order_id = 1; int32 items = 2; bool paid = 3; int64 cents = 4; }
`;
    const sr = new SchemaRegistry({ url: registry.url });
    // The producer: another service on this library, registering its schema itself.
    const producerSerde = sr.protobuf({ schema: proto, autoRegister: true });
    await producerSerde.prepare({ topic: input, isKey: false, internal: false, reads: false, writes: true });
    const orders = Array.from({ length: 10 }, (_, i) => ({ id: `o-${i}`, cents: String(9_007_199_254_740_993n + BigInt(i)), status: i % 2 ? 'PAID' : 'NEW', skus: Array.from({ length: i % 4 }, (_, j) => `s${j}`) }));
    await produce(input, orders.map((o) => ({ key: o.id, value: producerSerde.serialize(input, o) })));

    const builder = new StreamsBuilder();
    builder
      .stream<string, { id: string; cents: string; status: string; skus: string[] }>(input, { valueSerde: sr.protobuf({ schema: proto }) })
      .mapValues((o) => ({ order_id: o.id, items: o.skus.length, paid: o.status === 'PAID', cents: o.cents }))
      .to(output, { valueSerde: sr.protobuf({ schema: proto, messageType: 'Summary', autoRegister: true }) });
    await using app = await startApp(builder.build());
    await waitForState(app, 'RUNNING');

    const messages = await waitForMessages(output, { count: orders.length, timeoutMs: 60_000 });
    const summaries = [];
    for (const message of byOffset(messages)) {
      const { schema, schemaType, payload } = await unframe(message.value);
      expect(schemaType).toBe('PROTOBUF');
      // Message indexes [1]: the second message of the file (count 1, index 1, as zig-zag varints).
      expect([...payload.subarray(0, 2)]).toEqual([2, 2]);
      const Summary = protobuf.parse(schema, { keepCase: true }).root.lookupType('shop.Summary');
      summaries.push(Summary.toObject(Summary.decode(payload.subarray(2)), { longs: String, defaults: true }));
    }
    expect(summaries.sort((a, b) => String(a.order_id).localeCompare(String(b.order_id)))).toEqual(
      orders.map((o) => ({ order_id: o.id, items: o.skus.length, paid: o.status === 'PAID', cents: o.cents })),
    );
  });

  it('a topology counts JSON Schema records through the registry, keys framed too and the store changelog under its own subjects', async () => {
    const input = uniqueName('visits-json');
    const output = uniqueName('visit-counts-json');
    await createTopic(input);
    await createTopic(output);
    // With $schema: Apicurio Registry 2.6 tells a JSON Schema from other content by it (or by `properties`).
    const draft7 = 'http://json-schema.org/draft-07/schema#';
    const visit = { $schema: draft7, title: 'Visit', type: 'object', properties: { page: { type: 'string' } }, required: ['page'], additionalProperties: false };
    const sr = new SchemaRegistry({ url: registry.url });
    const producer = sr.jsonSchema({ schema: visit, autoRegister: true });
    const keySchema = { $schema: draft7, type: 'string' };
    const countSchema = { $schema: draft7, type: 'integer', minimum: 1 };
    const producerKey = sr.jsonSchema<string>({ schema: keySchema, isKey: true, autoRegister: true });
    for (const serde of [producer, producerKey]) await serde.prepare({ topic: input, isKey: serde.isKey, internal: false, reads: false, writes: true });
    const visits = ['ada', 'bob', 'ada', 'cy', 'ada', 'bob'].map((customer, i) => ({ customer, page: `/p${i}` }));
    await produce(input, visits.map((v) => ({ key: producerKey.serialize(input, v.customer), value: producer.serialize(input, { page: v.page }) })));

    const builder = new StreamsBuilder();
    builder
      // autoRegister off: the input's subjects were registered by the producer.
      .stream<string, { page: string }>(input, { keySerde: sr.jsonSchema<string>({ schema: keySchema, isKey: true }), valueSerde: sr.jsonSchema({ schema: visit }) })
      .groupByKey()
      .count({ name: 'visits' })
      .toStream()
      .to(output, {
        keySerde: sr.jsonSchema<string>({ schema: keySchema, isKey: true, autoRegister: true }),
        valueSerde: sr.jsonSchema<number>({ schema: countSchema, autoRegister: true }),
      });
    await using app = await startApp(builder.build());
    await waitForState(app, 'RUNNING');

    const messages = await waitForMessages(output, { count: visits.length, timeoutMs: 60_000 });
    const latest = new Map<string, number>();
    for (const message of byOffset(messages)) {
      const k = await unframe(message.key);
      const v = await unframe(message.value);
      expect([k.schemaType, JSON.parse(k.schema)]).toEqual(['JSON', keySchema]);
      expect([v.schemaType, JSON.parse(v.schema)]).toEqual(['JSON', countSchema]);
      latest.set(JSON.parse(k.payload.toString()) as string, JSON.parse(v.payload.toString()) as number);
    }
    expect(Object.fromEntries(latest)).toEqual({ ada: 3, bob: 2, cy: 1 });
    // The store's changelog inherited the source's key serde, autoRegister off: the changelog's key
    // subject was registered all the same, as the application's own (autoRegisterInternal).
    const changelogKey = await registryRequest<number[]>(registry.url, 'GET', `/subjects/${app.applicationId}-visits-changelog-key/versions`);
    expect(changelogKey).toEqual({ status: 200, json: [1] });
  });
});
