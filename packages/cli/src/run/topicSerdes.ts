import { Serdes, type Serde, type Topology } from '@tributary/core';

/** A topic's key and value serdes. */
export interface TopicSerdes {
  keySerde: Serde<unknown>;
  valueSerde: Serde<unknown>;
}

/** The defaults for topics whose serdes the topology does not declare: string keys and JSON values, as the runtimes'. */
export interface DefaultSerdes {
  defaultKeySerde?: Serde<unknown>;
  defaultValueSerde?: Serde<unknown>;
}

/** The serdes the topology reads `topic` with (a stream, table or global store source), else the defaults. */
export function sourceSerdes(topology: Topology, topic: string, defaults: DefaultSerdes = {}): TopicSerdes {
  const sources = [...topology.subTopologies, ...(topology.globalSubTopology ? [topology.globalSubTopology] : [])].flatMap((s) => s.sources).concat(topology.globalStores.map((g) => g.source));
  const source = sources.find((s) => !s.internal && s.topics.includes(topic));
  return withDefaults(source?.keySerde, source?.valueSerde, defaults);
}

/** The serdes the topology writes `topic` with, else the defaults. */
export function sinkSerdes(topology: Topology, topic: string, defaults: DefaultSerdes = {}): TopicSerdes {
  const sink = topology.subTopologies.flatMap((s) => s.sinks).find((s) => !s.internal && s.topic === topic);
  return withDefaults(sink?.keySerde, sink?.valueSerde, defaults);
}

function withDefaults(keySerde: Serde<unknown> | undefined, valueSerde: Serde<unknown> | undefined, defaults: DefaultSerdes): TopicSerdes {
  return {
    keySerde: keySerde ?? defaults.defaultKeySerde ?? (Serdes.string() as Serde<unknown>),
    valueSerde: valueSerde ?? defaults.defaultValueSerde ?? (Serdes.json() as Serde<unknown>),
  };
}
