import { describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, silentLogger, type Serde, type SerdeUsage } from '@tributary/core';
import { Task, type InputRecord } from '@tributary/core/runtime';
import { prepareSerdes, TopologyTestDriver } from '@tributary/core/testing';

/** A JSON serde that records how it was prepared, and reads only the "ids" it prepared for. */
function lookupSerde(name: string) {
  const usages: SerdeUsage[] = [];
  const known = new Set<string>();
  const asked: string[] = [];
  const fetching = new Map<string, Promise<void>>();
  const serde: Serde<unknown> = {
    name,
    serialize: (_topic, value) => (value === null ? null : Buffer.from(JSON.stringify(value))),
    deserialize: (_topic, data) => {
      if (data === null) return null;
      const parsed = JSON.parse(data.toString()) as { id: string };
      if (!known.has(parsed.id)) throw new Error(`id ${parsed.id} was not fetched`);
      return parsed;
    },
    prepare: async (usage) => {
      usages.push(usage);
    },
    prepareDeserialize: (_topic, data) => {
      if (data === null) return undefined;
      const { id } = JSON.parse(data.toString()) as { id: string };
      if (known.has(id)) return undefined;
      // One fetch per id, however many records carry it.
      let fetch = fetching.get(id);
      if (!fetch) {
        asked.push(id);
        fetch = new Promise<void>((resolve) => setTimeout(() => (known.add(id), resolve()), 5));
        fetching.set(id, fetch);
      }
      return fetch;
    },
  };
  return { serde, usages, asked, known };
}

const sorted = (usages: SerdeUsage[]) => [...usages].sort((a, b) => a.topic.localeCompare(b.topic) || Number(a.isKey) - Number(b.isKey));

describe('prepareSerdes', () => {
  it('prepares each serde once per topic and role, saying whether the topology reads or writes it and whether it is internal', async () => {
    const keys = lookupSerde('keys');
    const values = lookupSerde('values');
    const builder = new StreamsBuilder();
    const orders = builder.stream<string, unknown>('orders', { keySerde: keys.serde as Serde<string>, valueSerde: values.serde });
    orders.to('orders-copy', { keySerde: keys.serde as Serde<string>, valueSerde: values.serde });
    // A sink that picks its topic per record names none beforehand: not prepared.
    orders.to(() => 'somewhere', { keySerde: keys.serde as Serde<string>, valueSerde: values.serde });
    orders
      .selectKey((_k, v) => String(v))
      .groupByKey({ keySerde: keys.serde as Serde<string>, valueSerde: values.serde })
      .reduce((a) => a, { name: 'latest', keySerde: keys.serde as Serde<string>, valueSerde: values.serde });
    await prepareSerdes(builder.build(), { applicationId: 'app' });

    const repartition = sorted(values.usages).find((u) => u.topic.endsWith('-repartition'))!;
    expect(repartition).toMatchObject({ isKey: false, internal: true, reads: true, writes: true });
    expect(repartition.topic.startsWith('app-')).toBe(true);
    expect(sorted(values.usages).filter((u) => u !== repartition)).toEqual([
      { topic: 'app-latest-changelog', isKey: false, internal: true, reads: true, writes: true },
      { topic: 'orders', isKey: false, internal: false, reads: true, writes: false },
      { topic: 'orders-copy', isKey: false, internal: false, reads: false, writes: true },
    ]);
    expect(keys.usages.map((u) => u.isKey)).toEqual([true, true, true, true]);
    expect(keys.usages.map((u) => u.topic).sort()).toEqual(['app-latest-changelog', repartition.topic, 'orders', 'orders-copy']);
  });

  it("prepares the runtime's default serdes for user topics that declare none", async () => {
    const values = lookupSerde('default values');
    const builder = new StreamsBuilder();
    builder.stream('in').to('out');
    await prepareSerdes(builder.build(), { defaultValueSerde: values.serde });
    expect(sorted(values.usages)).toEqual([
      { topic: 'in', isKey: false, internal: false, reads: true, writes: false },
      { topic: 'out', isKey: false, internal: false, reads: false, writes: true },
    ]);
  });

  it("rejects with the serde's own failure", async () => {
    const failing: Serde<unknown> = { ...Serdes.json(), name: 'failing', prepare: () => Promise.reject(new Error('subject in-value is not registered')) };
    const builder = new StreamsBuilder();
    builder.stream('in', { valueSerde: failing }).to('out');
    await expect(prepareSerdes(builder.build())).rejects.toThrow('subject in-value is not registered');
  });

  it('leaves a TopologyTestDriver run unchanged for serdes without the hooks', async () => {
    const builder = new StreamsBuilder();
    builder.stream<string, number>('in', { valueSerde: Serdes.number() }).to('out', { valueSerde: Serdes.number() });
    const topology = builder.build();
    await prepareSerdes(topology);
    using driver = new TopologyTestDriver(topology);
    driver.createInputTopic('in', { valueSerde: Serdes.number() }).pipeInput('k', 2);
    expect(driver.createOutputTopic('out', { valueSerde: Serdes.number() }).readValue()).toBe(2);
  });
});

describe('Task.prepareInput', () => {
  const record = (offset: number, id: string): InputRecord => ({
    topic: 'in',
    partition: 0,
    offset,
    timestamp: offset,
    key: Buffer.from('k'),
    value: Buffer.from(JSON.stringify({ id })),
    headers: {},
  });

  function taskReading(valueSerde: Serde<unknown>) {
    const builder = new StreamsBuilder();
    const seen: unknown[] = [];
    builder.stream('in', { valueSerde }).peek((_k, v) => seen.push(v));
    const task = new Task(builder.build().subTopologies[0]!, 0, { applicationId: 'app', collector: { send: () => undefined, partitionsFor: () => 1 }, logger: silentLogger });
    return { task, seen };
  }

  it('is undefined when no source serde of the topic has prepareDeserialize', () => {
    const { task } = taskReading(Serdes.json());
    expect(task.prepareInput('in', [record(0, 'a')])).toBeUndefined();
  });

  it('waits for what the serde fetches for the batch, so the records then deserialize', async () => {
    const values = lookupSerde('values');
    const { task, seen } = taskReading(values.serde);
    const batch = [record(0, 'a'), record(1, 'b'), record(2, 'a')];
    const ready = task.prepareInput('in', batch);
    expect(ready).toBeInstanceOf(Promise);
    await ready;
    expect(values.asked).toEqual(['a', 'b']);
    for (const r of batch) task.process(r);
    expect(seen).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'a' }]);
    // Everything is known now: nothing to wait for.
    expect(task.prepareInput('in', batch)).toBeUndefined();
  });

  it('settles even when a fetch fails: deserialize reports it, with the record', async () => {
    const values = lookupSerde('values');
    values.serde.prepareDeserialize = () => Promise.reject(new Error('registry down'));
    const { task } = taskReading(values.serde);
    await expect(task.prepareInput('in', [record(0, 'x')])).resolves.toBeUndefined();
    expect(() => task.process(record(0, 'x'))).toThrow(/Cannot deserialize the record at topic 'in' partition 0 offset 0: id x was not fetched/);
  });
});
