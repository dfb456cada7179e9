import { Serdes, StreamsBuilder, type Topology } from '@tributary/core';
import type { Profile } from './profiles';

/** The store of {@link profilesTopology}, logged to `<applicationId>-profiles-changelog`. */
export const PROFILES_STORE = 'profiles';

/**
 * The latest profile of each customer: a table in store `profiles` (string keys, JSON values,
 * as its changelog holds them), and, with an `output`, every update written there too.
 */
export function profilesTopology(input: string, output?: string): Topology {
  const builder = new StreamsBuilder();
  const profiles = builder
    .stream<string, Profile>(input, { keySerde: Serdes.string(), valueSerde: Serdes.json() })
    .groupByKey()
    .reduce((_previous, latest) => latest, { name: PROFILES_STORE, keySerde: Serdes.string(), valueSerde: Serdes.json() });
  if (output) profiles.toStream().to(output, { keySerde: Serdes.string(), valueSerde: Serdes.json() });
  return builder.build();
}
