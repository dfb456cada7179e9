// The topology module of threadsRoundTrip.ts: each stream thread imports it and calls its
// default export to build its own copy of the word count.
import { Serdes, StreamsBuilder, type Topology } from '@tributary/core';

export default function wordCounts(): Topology {
  const input = process.env.WORDS_INPUT!;
  const output = process.env.WORDS_OUTPUT!;
  const builder = new StreamsBuilder();
  builder
    .stream(input, { keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .groupBy((_key, word) => word, { keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .count({ name: 'word-counts' })
    .toStream()
    .to(output, { keySerde: Serdes.string(), valueSerde: Serdes.number() });
  return builder.build();
}
