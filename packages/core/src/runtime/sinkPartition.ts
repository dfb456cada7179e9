import type { SinkNode } from '../graph/GraphNode';
import type { Serde } from '../serdes/Serde';
import { Serdes } from '../serdes/Serdes';
import { defaultPartition } from './murmur2';

const stringSerde = Serdes.string();

/**
 * The partition a sink sends a record to, or `undefined` to leave it to the producer's default
 * partitioner (murmur2 of the serialized key, any partition for a `null` key):
 * - the sink's partitioner decides when it has one (an error it throws goes to the caller);
 * - a repartition topic whose sink declares no key serde carries JSON keys, yet must place a
 *   key where a user topic written with the default key serde does, or a join of the two
 *   would not be co-partitioned: murmur2 of the key as `defaultKeySerde` (else the string
 *   serde) writes it.
 *
 * The runtime places records with it, and interactive queries find a key's partition with it.
 */
export function sinkPartition(
  sink: Pick<SinkNode, 'partitioner' | 'internal' | 'keySerde'>,
  topic: string,
  record: { readonly key: unknown; readonly value: unknown },
  partitions: number,
  defaultKeySerde: Serde<unknown> | undefined,
): number | undefined {
  if (sink.partitioner) return sink.partitioner(topic, record.key, record.value, partitions);
  if (!sink.internal || sink.keySerde || record.key === null || record.key === undefined) return undefined;
  let bytes: Buffer | null;
  try {
    bytes = (defaultKeySerde ?? stringSerde).serialize(topic, record.key);
  } catch {
    return undefined;
  }
  return Buffer.isBuffer(bytes) ? defaultPartition(bytes, partitions) : undefined;
}
