import type { SinkNode, SourceNode } from '../graph/GraphNode';
import type { SubTopology, Topology } from '../graph/Topology';
import type { Serde, SerdeUsage } from '../serdes/Serde';

export interface PrepareSerdesOptions {
  /** The prefix of internal topics (repartition topics, changelogs). Defaults to `'test-app'`, as the TopologyTestDriver's. */
  applicationId?: string;
  /** The serde of user topics whose key serde the topology did not declare, as given to the runtime. Defaults to none. */
  defaultKeySerde?: Serde<unknown>;
  /** The serde of user topics whose value serde the topology did not declare, as given to the runtime. Defaults to none. */
  defaultValueSerde?: Serde<unknown>;
}

/**
 * Awaits {@link Serde.prepare} of every serde of `topology` that has one, once per topic and
 * role (key or value) it serves, with whether the topology reads the topic, writes it, or
 * both: sources, sinks with a fixed topic, repartition topics and changelogs, with the names
 * the broker knows. `KafkaStreams` calls it at start-up; tests with the TopologyTestDriver call
 * it before creating the driver. Rejects with the first serde's failure.
 *
 * A sink that chooses its topic per record names no topic beforehand: prepare its serdes for
 * the topics it may choose yourself (`await serde.prepare({ topic, isKey, reads, writes })`).
 *
 * ## Example
 * ```ts
 * import { prepareSerdes, TopologyTestDriver } from '@tributary/core/testing';
 *
 * await prepareSerdes(topology);
 * using driver = new TopologyTestDriver(topology);
 * ```
 */
export async function prepareSerdes(topology: Topology, options: PrepareSerdesOptions = {}): Promise<void> {
  const applicationId = options.applicationId ?? 'test-app';
  const usages = new Map<Serde<unknown>, Map<string, SerdeUsage>>();
  const use = (serde: Serde<unknown> | undefined, topic: string, internal: boolean, isKey: boolean, access: 'reads' | 'writes') => {
    if (!serde?.prepare) return;
    const byTopic = usages.get(serde) ?? new Map<string, SerdeUsage>();
    usages.set(serde, byTopic);
    const id = `${isKey ? 'key' : 'value'}\u0000${topic}`;
    const known = byTopic.get(id) ?? { topic, isKey, internal, reads: false, writes: false };
    byTopic.set(id, { ...known, [access]: true });
  };
  const topicName = (name: string, internal: boolean) => (internal ? `${applicationId}-${name}` : name);
  // Undeclared serdes fall back as in Task: the runtime's defaults on user topics, JSON (nothing to prepare) on internal ones.
  const keySerdeOf = (node: SourceNode | SinkNode) => node.keySerde ?? (node.internal ? undefined : options.defaultKeySerde);
  const valueSerdeOf = (node: SourceNode | SinkNode) => node.valueSerde ?? (node.internal ? undefined : options.defaultValueSerde);

  const subTopologies: SubTopology[] = [...topology.subTopologies];
  if (topology.globalSubTopology) subTopologies.push(topology.globalSubTopology);
  for (const sub of subTopologies) {
    for (const source of sub.sources) {
      for (const name of source.topics) {
        const topic = topicName(name, source.internal);
        use(keySerdeOf(source), topic, source.internal, true, 'reads');
        use(valueSerdeOf(source), topic, source.internal, false, 'reads');
      }
    }
    for (const sink of sub.sinks) {
      if (typeof sink.topic !== 'string') continue;
      const topic = topicName(sink.topic, sink.internal);
      use(keySerdeOf(sink), topic, sink.internal, true, 'writes');
      use(valueSerdeOf(sink), topic, sink.internal, false, 'writes');
    }
    for (const store of sub.stores) {
      if (!store.logging) continue;
      const topic = topicName(`${store.name}-changelog`, true);
      for (const access of ['reads', 'writes'] as const) {
        use(store.keySerde, topic, true, true, access);
        use(store.valueSerde, topic, true, false, access);
      }
    }
  }
  const pending: Promise<void>[] = [];
  for (const [serde, byTopic] of usages) for (const usage of byTopic.values()) pending.push(serde.prepare!(usage));
  await Promise.all(pending);
}
