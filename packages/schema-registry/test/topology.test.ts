import { DeserializationError, Serdes, StreamsBuilder, TaskFailedError, silentLogger } from '@tributary/core';
import { prepareSerdes, TopologyTestDriver } from '@tributary/core/testing';
import { describe, expect, it } from 'vitest';
import { InMemorySchemaRegistry, SchemaNotRegisteredError, SchemaRegistry, readSchemaId, writeHeader } from '../src/index';

interface Order {
  id: string;
  customer: string;
  cents: number;
}
interface LargeOrder {
  orderId: string;
  euros: number;
}

const orderSchema = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'customer', type: 'string' },
    { name: 'cents', type: 'long' },
  ],
};
const largeOrderSchema = { type: 'record', name: 'LargeOrder', namespace: 'shop', fields: [{ name: 'orderId', type: 'string' }, { name: 'euros', type: 'double' }] };

/** The registry as a schema pipeline leaves it: the topics' schemas registered, nothing else. */
async function pipelineRegistry() {
  const client = new InMemorySchemaRegistry();
  await client.register('orders-value', { schema: JSON.stringify(orderSchema), schemaType: 'AVRO' });
  await client.register('large-orders-value', { schema: JSON.stringify(largeOrderSchema), schemaType: 'AVRO' });
  return { client, registry: new SchemaRegistry({ client }) };
}

function largeOrdersTopology(registry: SchemaRegistry) {
  const builder = new StreamsBuilder();
  const orders = builder.stream<string, Order>('orders', { keySerde: Serdes.string(), valueSerde: registry.avro<Order>({ schema: orderSchema }) });
  orders
    .filter((_id, order) => order.cents >= 10_000)
    .mapValues((order): LargeOrder => ({ orderId: order.id, euros: order.cents / 100 }))
    .to('large-orders', { valueSerde: registry.avro<LargeOrder>({ schema: largeOrderSchema }) });
  // The store inherits the source's serde: its changelog is framed Avro too, under the changelog's own subject.
  orders.groupBy((_id, order) => order.customer, { keySerde: Serdes.string() }).reduce((_last, order) => order, { name: 'last-order' });
  return builder.build();
}

describe('a topology on Schema Registry serdes in the TopologyTestDriver', () => {
  it('reads and writes framed Avro with the ids registered, once prepareSerdes ran', async () => {
    const { client, registry } = await pipelineRegistry();
    const topology = largeOrdersTopology(registry);
    await prepareSerdes(topology);
    using driver = new TopologyTestDriver(topology);
    // Another application's producer wrote the input.
    const producer = registry.avro<Order>({ schema: orderSchema });
    await producer.prepare({ topic: 'orders', isKey: false, internal: false, reads: false, writes: true });
    const input = driver.createInputTopic('orders', { keySerde: Serdes.string(), valueSerde: producer });
    input.pipeInput('o-1', { id: 'o-1', customer: 'ada', cents: 25_000 });
    input.pipeInput('o-2', { id: 'o-2', customer: 'ada', cents: 500 });

    const written = driver.topics.written('large-orders');
    expect(written).toHaveLength(1);
    expect(readSchemaId(written[0]!.value!)).toBe((await client.version('large-orders-value', 'latest')).id);
    // A consumer of the output, prepared to read the topic: it fetched the subject's versions.
    const consumer = registry.avro<LargeOrder>({ schema: largeOrderSchema });
    await consumer.prepare({ topic: 'large-orders', isKey: false, internal: false, reads: true, writes: false });
    const output = driver.createOutputTopic('large-orders', { valueSerde: consumer });
    expect(output.readValue()).toMatchObject({ orderId: 'o-1', euros: 250 });

    const changelog = driver.topics.written('test-app-last-order-changelog');
    expect(changelog.map((r) => readSchemaId(r.value!))).toEqual([1, 1]); // the orders schema's id, under the changelog subject
    expect(await client.versions('test-app-last-order-changelog-value')).toEqual([1]);
    expect(driver.getKeyValueStore<string, Order>('last-order').get('ada')).toMatchObject({ id: 'o-2', cents: 500 });
  });

  it('cannot start when a schema the topology writes is not registered (autoRegister is off by default)', async () => {
    const client = new InMemorySchemaRegistry();
    await client.register('orders-value', { schema: JSON.stringify(orderSchema), schemaType: 'AVRO' });
    const topology = largeOrdersTopology(new SchemaRegistry({ client }));
    await expect(prepareSerdes(topology)).rejects.toThrow(SchemaNotRegisteredError);
    await expect(prepareSerdes(topology)).rejects.toThrow("the schema is not registered under subject 'large-orders-value' (for topic 'large-orders')");
  });

  it('fails a record whose schema id was never fetched with a deserialization error naming the id (the driver fetches nothing while it runs)', async () => {
    const { registry } = await pipelineRegistry();
    const topology = largeOrdersTopology(registry);
    await prepareSerdes(topology);
    using driver = new TopologyTestDriver(topology, { logger: silentLogger });
    const input = driver.createInputTopic('orders', { keySerde: Serdes.string(), valueSerde: Serdes.buffer() });
    const pipe = () => input.pipeInput('o-3', Buffer.concat([writeHeader(42), Buffer.from([0])]));
    expect(pipe).toThrow(TaskFailedError);
    try {
      pipe();
    } catch (error) {
      expect((error as Error).cause).toBeInstanceOf(DeserializationError);
    }
    expect(() => pipe()).toThrow(/schema id 42 \(topic 'orders'\) was not fetched from Schema Registry mock:\/\/in-memory/);
  });
});
