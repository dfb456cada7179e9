import type { InputRecord } from '@tributary/core/runtime';
import { partitionKey, type ChangelogRange, type TopicPartition, type TopicPartitionOffset } from './StreamsClient';

/**
 * How a client reads partitions from given offsets: each fetched batch with the offset reading
 * continues at, and `pause()` to stop fetching that partition. Resolves once reading has begun.
 */
export type PartitionReading = (
  starts: readonly TopicPartitionOffset[],
  onBatch: (partition: TopicPartition, records: readonly InputRecord[], nextOffset: number, pause: () => void) => void,
  onError: (error: Error) => void,
) => Promise<{ stop(): Promise<void> }>;

/**
 * `ChangelogReader.read` on any client's {@link PartitionReading}: reads each range from its
 * `from` to its `to`, hands over the records inside it, pauses a partition once read to its end,
 * and resolves when every range is read (or `signal` aborts).
 */
export async function readRanges(
  ranges: readonly ChangelogRange[],
  onRecords: (range: ChangelogRange, records: readonly InputRecord[]) => void,
  signal: AbortSignal | undefined,
  reading: PartitionReading,
): Promise<void> {
  const wanted = new Map(ranges.filter((r) => r.to > r.from).map((r) => [partitionKey(r.topic, r.partition), r]));
  if (wanted.size === 0 || signal?.aborted) return;
  const remaining = new Set(wanted.keys());
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const onAbort = () => settle.resolve();
  signal?.addEventListener('abort', onAbort, { once: true });
  const reader = await reading(
    [...wanted.values()].map(({ topic, partition, from }) => ({ topic, partition, offset: from })),
    (tp, records, nextOffset, pause) => {
      const key = partitionKey(tp.topic, tp.partition);
      const range = wanted.get(key);
      if (!range || !remaining.has(key)) return;
      // Most batches lie wholly inside the range: no copy for them.
      const inside = records.length === 0 || (records[0]!.offset >= range.from && records[records.length - 1]!.offset < range.to);
      const inRange = inside ? records : records.filter((r) => r.offset >= range.from && r.offset < range.to);
      if (inRange.length > 0) onRecords(range, inRange);
      if (nextOffset >= range.to) {
        remaining.delete(key);
        pause();
        if (remaining.size === 0) settle.resolve();
      }
    },
    (error) => settle.reject(error),
  );
  try {
    await done;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await reader.stop();
  }
}
