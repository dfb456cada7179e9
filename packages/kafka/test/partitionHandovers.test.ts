// A one-rebalance handover (cooperative rebalancing on @platformatic/kafka), both sides, with
// plain fakes for the group's committed offsets: the previous owner commits its offsets again
// with the generation's mark; the new owner holds each handed-over partition until that mark
// is committed, or until it has waited its bound.
import { silentLogger } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import type { TopicPartitionOffset } from '../src/client/StreamsClient';
import { PartitionHandovers } from '../src/client/platformatic/PartitionHandovers';
import { handoverGeneration, markHandover } from '../src/commit/handoverMark';
import { decodeStreamTime, encodeStreamTime } from '../src/commit/streamTimeMetadata';

/** The group's committed offsets, as the broker would keep them. */
class CommittedOffsets {
  readonly byPartition = new Map<string, TopicPartitionOffset>();
  reads = 0;
  commit = async (offsets: readonly TopicPartitionOffset[]) => {
    for (const o of offsets) this.byPartition.set(`${o.topic}-${o.partition}`, o);
  };
  read = async (topics: readonly string[]) => {
    this.reads++;
    return [...this.byPartition.values()].filter((o) => topics.includes(o.topic));
  };
}

function handovers(offsets: CommittedOffsets, waitAtMostMs = 60_000) {
  return new PartitionHandovers({ committed: offsets.read, commit: offsets.commit, waitAtMostMs, groupId: 'g', logger: silentLogger });
}

const p = (partition: number) => ({ topic: 'in', partition });

describe('the handover mark', () => {
  it('follows the stream time in the offset metadata, which still reads', () => {
    const marked = markHandover(encodeStreamTime(5_000), 12);
    expect(marked).toBe('tributary-stream-time:5000;tributary-handover:12');
    expect(decodeStreamTime(marked)).toBe(5_000);
    expect(handoverGeneration(marked)).toBe(12);
  });

  it('replaces an earlier mark, and stands alone when there is no other metadata', () => {
    expect(markHandover(markHandover('tributary-stream-time:7', 3), 9)).toBe('tributary-stream-time:7;tributary-handover:9');
    expect(markHandover(undefined, 4)).toBe('tributary-handover:4');
    expect(handoverGeneration('tributary-stream-time:7')).toBeUndefined();
    expect(handoverGeneration(null)).toBeUndefined();
    expect(handoverGeneration('tributary-handover:x')).toBeUndefined();
  });
});

describe('PartitionHandovers', () => {
  it('starts a handed-over partition only once its previous owner committed the mark of that generation', async () => {
    const offsets = new CommittedOffsets();
    await offsets.commit([{ topic: 'in', partition: 1, offset: 40, metadata: markHandover(encodeStreamTime(1_000), 6) }]);
    const newOwner = handovers(offsets);
    // Partitions 0 and 1 are assigned in generation 7; 1 was handed over by a member still in the group.
    expect(newOwner.assigned([p(0), p(1)], [p(1)], 7)).toEqual([p(0)]);
    let ready: unknown;
    const waiting = newOwner.nextReady(() => true).then((r) => (ready = r));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // An older generation's mark does not count.
    expect(ready).toBeUndefined();
    expect(offsets.reads).toBeGreaterThan(1);

    // The previous owner's revocation commit is in: it marks the partition handed over.
    const previousOwner = handovers(offsets);
    await offsets.commit([{ topic: 'in', partition: 1, offset: 55, metadata: encodeStreamTime(2_000) }]);
    await previousOwner.release([p(1)], 7);
    await waiting;
    expect(ready).toEqual([p(1)]);
    expect(newOwner.waiting).toBe(false);
    // The offset stands and the stream time is kept beside the mark.
    expect(offsets.byPartition.get('in-1')).toEqual({ topic: 'in', partition: 1, offset: 55, metadata: 'tributary-stream-time:2000;tributary-handover:7' });
  });

  it('keeps waiting across a join that keeps the partition here, and forgets a partition the join moves on', async () => {
    const offsets = new CommittedOffsets();
    const member = handovers(offsets);
    member.assigned([p(0), p(1)], [p(0), p(1)], 7);
    // Generation 8 keeps partition 0 here (not marked handed over again) and gives 1 to another member.
    expect(member.assigned([p(0)], [], 8)).toEqual([]);
    await offsets.commit([{ topic: 'in', partition: 0, offset: 9 }]);
    await handovers(offsets).release([p(0)], 7);
    await offsets.commit([{ topic: 'in', partition: 1, offset: 3, metadata: markHandover(undefined, 7) }]);
    expect(await member.nextReady(() => true)).toEqual([p(0)]);
    expect(member.waiting).toBe(false);
  });

  it('starts a partition whose previous owner never marks it after waiting its bound, at the last commit', async () => {
    const offsets = new CommittedOffsets();
    const member = handovers(offsets, 150);
    member.assigned([p(2)], [p(2)], 3);
    const started = Date.now();
    expect(await member.nextReady(() => true)).toEqual([p(2)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('stops waiting when the join it waits for is no longer current', async () => {
    const offsets = new CommittedOffsets();
    const member = handovers(offsets);
    member.assigned([p(2)], [p(2)], 3);
    let current = true;
    setTimeout(() => (current = false), 50);
    expect(await member.nextReady(() => current)).toEqual([]);
    expect(member.waiting).toBe(true);
    member.clear();
    expect(member.waiting).toBe(false);
  });

  it('marks a partition the group has no offset for at the offset the previous owner started it at', async () => {
    const offsets = new CommittedOffsets();
    const previousOwner = handovers(offsets);
    previousOwner.startedFromReset('in', 3, 0);
    await previousOwner.release([p(3), p(4)], 5);
    expect([...offsets.byPartition.values()]).toEqual([{ topic: 'in', partition: 3, offset: 0, metadata: 'tributary-handover:5' }]);
  });
});
