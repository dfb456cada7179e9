// The word count both Kafka round trips of the packed-install check run. threadsRoundTrip.ts
// hands this module to StreamThreads: each stream thread imports it and calls its default
// export, which takes the topic names from WORDS_INPUT and WORDS_OUTPUT.
import { Serdes, StreamsBuilder, type Topology } from '@tributary/core';

export function wordCounts(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(input, { keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .groupBy((_key, word) => word, { keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .count({ name: 'word-counts' })
    .toStream()
    .to(output, { keySerde: Serdes.string(), valueSerde: Serdes.number() });
  return builder.build();
}

export default function threadTopology(): Topology {
  return wordCounts(process.env.WORDS_INPUT!, process.env.WORDS_OUTPUT!);
}
