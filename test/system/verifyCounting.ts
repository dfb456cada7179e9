// Checks what the counting topology (fixtures/topologies.ts) wrote against its input, all
// three topics read whole by independent consumers: the input is the truth (what the
// brokers hold, whatever the producer did), the output must hold every input offset (none
// lost; exactly-once: each once), and each key's count must reach its number of input records
// (exactly-once: exactly, and every update 1, 2, 3, ... once).
import type { Kafka } from 'kafkajs';
import type { CountingTopics, TaggedOrder } from './fixtures/topologies';
import { Emitted, diagnoseLoss, type Emit } from './Emitted';
import { longestGaps, type Gap } from './gaps';
import { readTopic } from './readTopic';
import type { Timeline } from './Timeline';

export interface LostRange {
  partition: number;
  from: number;
  to: number;
  /** Who wrote the offsets around the range, and what that says: never processed, lost on the way, or lost at a handover. */
  diagnosis: string;
  /** Broker append time (epoch ms) of the output of the offset before the range, or else after it. */
  around: number | undefined;
}

export interface CountingVerdict {
  input: {
    records: number;
    /** Ids the producer had acknowledged that the input topic does not hold (a producer or broker loss, not the application's). */
    missingAcked: number;
    missingAckedIds: number[];
    /** Ids written more than once (a resend after a failed send). */
    rewrittenIds: number;
    maxGapMs: number;
    /** Broker append time of each input record, sorted. */
    appendTimes: Float64Array;
  };
  output: {
    records: number;
    lost: number;
    lostRanges: LostRange[];
    /** Output records beyond the first for an input offset. */
    duplicates: number;
    duplicatedRanges: { partition: number; from: number; to: number }[];
    /** Output records whose id is not the one at the input offset they name. */
    mismatched: string[];
    byInstance: Record<string, number>;
    /**
     * Records a task incarnation emitted (its output numbers `n`) that are not in the topic
     * although later ones are: lost between the application and the broker. Exactly-once
     * aborts make such holes legitimately.
     */
    emittedMissing: number;
    emittedMissingRuns: string[];
    /** The longest gaps between consecutive output records (broker append times), longest first: when no task emitted anything. */
    stalls: Gap[];
    /** Per input partition (its task's output): the longest gap, and the time spent in gaps over 1 s, summed over partitions. */
    partitionStalls: PartitionStalls;
    /** Broker append time of each output record, sorted. */
    appendTimes: Float64Array;
  };
  counts: {
    updates: number;
    keys: number;
    /** Keys whose last count is below / above their number of input records. */
    below: { key: string; truth: number; last: number }[];
    above: { key: string; truth: number; last: number }[];
    /** Exactly-once only: updates that are not the previous count + 1. */
    breaks: string[];
    breakCount: number;
  };
}

/** How long single partitions went without output: a rebalance may stop some partitions and not others. */
export interface PartitionStalls {
  /** The longest gap in one partition's output. */
  longestMs: number;
  /** Gaps over {@link STALL_MS} in each partition's output, summed over the partitions (partition-seconds stopped). */
  stalledSeconds: number;
  /**
   * The same over {@link BRIEF_STOP_MS}: an eager rebalance stops every partition for well
   * under a second on an unloaded broker, which only this one counts.
   */
  briefStopSeconds: number;
  /** How many such gaps. */
  count: number;
  /** The five longest of them, longest first. */
  longest: { partition: number; from: number; ms: number }[];
}

/** A partition's output standing still this long counts as a stall (the input flows at hundreds of records/s per partition). */
const STALL_MS = 1_000;
/** A partition's output standing still this long counts as stopped at all (its records normally come milliseconds apart). */
const BRIEF_STOP_MS = 250;

function partitionStalls(timesByPartition: number[][]): PartitionStalls {
  let longestMs = 0;
  let stalledMs = 0;
  let briefMs = 0;
  let count = 0;
  const stalls: PartitionStalls['longest'] = [];
  timesByPartition.forEach((times, partition) => {
    const sorted = Float64Array.from(times).sort();
    for (let i = 1; i < sorted.length; i++) {
      const ms = sorted[i]! - sorted[i - 1]!;
      longestMs = Math.max(longestMs, ms);
      if (ms > BRIEF_STOP_MS) briefMs += ms;
      if (ms > STALL_MS) {
        stalledMs += ms;
        count++;
        stalls.push({ partition, from: sorted[i - 1]!, ms });
      }
    }
  });
  const longest = stalls.sort((a, b) => b.ms - a.ms).slice(0, 5);
  return { longestMs, stalledSeconds: Math.round(stalledMs / 100) / 10, briefStopSeconds: Math.round(briefMs / 100) / 10, count, longest };
}

export interface VerifyCountingOptions {
  partitions: number;
  keys: number;
  /** Ids 0 .. produced-1 were acknowledged by the producer. */
  produced: number;
  exactlyOnce: boolean;
  timeoutMs?: number;
}

export async function verifyCounting(kafka: Kafka, topics: CountingTopics, options: VerifyCountingOptions): Promise<CountingVerdict> {
  const { partitions, keys, produced, exactlyOnce, timeoutMs = 300_000 } = options;
  const perPartition = <T>(make: () => T): T[] => Array.from({ length: partitions }, make);

  // The input: the id at each offset, the truth of each count, acknowledged ids present.
  const idAt = perPartition<number[]>(() => []);
  const truth = new Int32Array(keys);
  const seenIds = new Uint8Array(produced);
  const inputTimes: number[] = [];
  let rewrittenIds = 0;
  const input = await readTopic(
    kafka,
    topics.input,
    (partition, message) => {
      const id = (JSON.parse(message.value!.toString()) as { id: number }).id;
      idAt[partition]![Number(message.offset)] = id;
      truth[id % keys]!++;
      if (id < produced) {
        if (seenIds[id]) rewrittenIds++;
        seenIds[id] = 1;
      }
      inputTimes.push(Number(message.timestamp));
    },
    { timeoutMs },
  );
  const missingAckedIds: number[] = [];
  let missingAcked = 0;
  for (let id = 0; id < produced; id++) {
    if (seenIds[id]) continue;
    missingAcked++;
    if (missingAckedIds.length < 20) missingAckedIds.push(id);
  }

  // The stateless output: which input offsets it holds, how often, and who wrote them.
  const seen = input.endOffsets.map((end) => new Uint16Array(end));
  const writerAt = input.endOffsets.map((end) => new Uint32Array(end));
  const numberAt = input.endOffsets.map((end) => new Int32Array(end));
  const writtenAt = input.endOffsets.map((end) => new Float64Array(end));
  const emitted = new Emitted();
  const outputTimes: number[] = [];
  const outputTimesByPartition = input.endOffsets.map(() => [] as number[]);
  const mismatched: string[] = [];
  const output = await readTopic(
    kafka,
    topics.output,
    (_partition, message) => {
      const tagged = JSON.parse(message.value!.toString()) as TaggedOrder;
      outputTimes.push(Number(message.timestamp));
      outputTimesByPartition[tagged.p]?.push(Number(message.timestamp));
      const at = seen[tagged.p];
      if (!at || tagged.o < 0 || tagged.o >= at.length || idAt[tagged.p]![tagged.o] !== tagged.id) {
        if (mismatched.length < 10) mismatched.push(`id ${tagged.id} tagged partition ${tagged.p} offset ${tagged.o} by ${tagged.w}, where the input holds id ${idAt[tagged.p]?.[tagged.o]}`);
        return;
      }
      at[tagged.o] = Math.min(at[tagged.o]! + 1, 65_535);
      const writer = emitted.mark(tagged.w, tagged.n);
      if (writerAt[tagged.p]![tagged.o] === 0) {
        writerAt[tagged.p]![tagged.o] = writer;
        numberAt[tagged.p]![tagged.o] = tagged.n;
        writtenAt[tagged.p]![tagged.o] = Number(message.timestamp);
      }
    },
    { timeoutMs },
  );
  const lostRanges: LostRange[] = [];
  const duplicatedRanges: { partition: number; from: number; to: number }[] = [];
  let lost = 0;
  let duplicates = 0;
  const byInstance: Record<string, number> = {};
  const emit = (partition: number, offset: number): Emit | undefined => {
    const writer = writerAt[partition]![offset];
    return writer ? { writer, n: numberAt[partition]![offset]! } : undefined;
  };
  seen.forEach((counts, partition) => {
    let lostFrom = -1;
    let dupFrom = -1;
    for (let offset = 0; offset <= counts.length; offset++) {
      const n = offset < counts.length ? counts[offset]! : 1;
      if (offset < counts.length) {
        if (n === 0) lost++;
        else {
          duplicates += n - 1;
          const by = emitted.instance(writerAt[partition]![offset]!);
          byInstance[by] = (byInstance[by] ?? 0) + 1;
        }
      }
      if (n === 0 && lostFrom < 0) lostFrom = offset;
      if (n !== 0 && lostFrom >= 0) {
        const range = { partition, from: lostFrom, to: offset - 1 };
        const around = writtenAt[partition]![lostFrom - 1] || writtenAt[partition]![offset] || undefined;
        lostRanges.push({ ...range, around, diagnosis: diagnoseLoss(range, emit(partition, lostFrom - 1), offset < counts.length ? emit(partition, offset) : undefined, emitted) });
        lostFrom = -1;
      }
      const dup = offset < counts.length && n > 1;
      if (dup && dupFrom < 0) dupFrom = offset;
      if (!dup && dupFrom >= 0) {
        duplicatedRanges.push({ partition, from: dupFrom, to: offset - 1 });
        dupFrom = -1;
      }
    }
  });

  // The counts: the last update of each key, and (exactly-once) the run of updates.
  const last = new Map<number, number>();
  const breaks: string[] = [];
  let breakCount = 0;
  const counts = await readTopic(
    kafka,
    topics.counts,
    (partition, message) => {
      const keyText = message.key!.toString();
      const key = Number(keyText.slice(1));
      const value = JSON.parse(message.value!.toString()) as number;
      const previous = last.get(key) ?? 0;
      if (exactlyOnce && value !== previous + 1) {
        breakCount++;
        if (breaks.length < 10) breaks.push(`${keyText}: ${value} after ${previous} (partition ${partition} offset ${message.offset})`);
      }
      last.set(key, value);
    },
    { timeoutMs },
  );
  const below: CountingVerdict['counts']['below'] = [];
  const above: CountingVerdict['counts']['above'] = [];
  for (let key = 0; key < keys; key++) {
    const expected = truth[key]!;
    const got = last.get(key) ?? 0;
    if (got < expected) below.push({ key: `k${key}`, truth: expected, last: got });
    if (got > expected) above.push({ key: `k${key}`, truth: expected, last: got });
  }

  const inputAppendTimes = Float64Array.from(inputTimes).sort();
  const outputAppendTimes = Float64Array.from(outputTimes).sort();
  return {
    input: { records: input.records, missingAcked, missingAckedIds, rewrittenIds, maxGapMs: longestGaps(inputAppendTimes, 1)[0]?.ms ?? 0, appendTimes: inputAppendTimes },
    output: {
      records: output.records,
      lost,
      lostRanges,
      duplicates,
      duplicatedRanges,
      mismatched,
      byInstance,
      ...emitted.holes(),
      stalls: longestGaps(outputAppendTimes, 3),
      partitionStalls: partitionStalls(outputTimesByPartition),
      appendTimes: outputAppendTimes,
    },
    counts: { updates: counts.records, keys: last.size, below, above, breaks, breakCount },
  };
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** "lost 1,645 of 1,000,000 input records: partition 3 offsets 8,595..9,594 (1,000): m2/0_3#4 emitted 8,594 and 9,595 one after the other: ..." */
export function describeLoss(verdict: CountingVerdict, timeline?: Timeline): string {
  const { output, input } = verdict;
  if (output.lost === 0) return 'no input record lost';
  const when = (r: LostRange) => (timeline && r.around ? ` around ${timeline.offset(r.around)}` : '');
  const ranges = output.lostRanges.slice(0, 12).map((r) => `  partition ${r.partition} offsets ${fmt(r.from)}..${fmt(r.to)} (${fmt(r.to - r.from + 1)})${when(r)}: ${r.diagnosis}`);
  const more = output.lostRanges.length > 12 ? `\n  and ${output.lostRanges.length - 12} more ranges` : '';
  return `lost ${fmt(output.lost)} of ${fmt(input.records)} input records (no output for these input offsets):\n${ranges.join('\n')}${more}`;
}

export function describeDuplicates(verdict: CountingVerdict): string {
  const { output } = verdict;
  if (output.duplicates === 0) return 'no duplicate';
  const ranges = output.duplicatedRanges.slice(0, 12).map((r) => `partition ${r.partition} offsets ${fmt(r.from)}..${fmt(r.to)}`);
  return `${fmt(output.duplicates)} duplicate output records, of input ${ranges.join('; ')}${output.duplicatedRanges.length > 12 ? ` and ${output.duplicatedRanges.length - 12} more ranges` : ''}`;
}

export function describeCounts(verdict: CountingVerdict, exactlyOnce: boolean): string {
  const { counts } = verdict;
  const show = (list: { key: string; truth: number; last: number }[]) => list.slice(0, 10).map((c) => `${c.key} ${c.last} (truth ${c.truth})`).join(', ');
  const parts: string[] = [];
  if (counts.below.length) parts.push(`${counts.below.length} counts below the truth: ${show(counts.below)}`);
  if (exactlyOnce && counts.above.length) parts.push(`${counts.above.length} counts above the truth: ${show(counts.above)}`);
  if (exactlyOnce && counts.breakCount) parts.push(`${counts.breakCount} count updates out of sequence: ${counts.breaks.join('; ')}`);
  return parts.join('\n') || 'every count as expected';
}

/**
 * Everything wrong with a run, one paragraph each (empty when it passed): loss, duplicates
 * and exact counts (exactly-once), counts below the truth, and reads that cannot be right.
 */
export function countingProblems(verdict: CountingVerdict, { exactlyOnce, produced, timeline }: { exactlyOnce: boolean; produced: number; timeline?: Timeline }): string[] {
  const problems: string[] = [];
  const { input, output, counts } = verdict;
  // The read itself: the input holds what was acknowledged, and the output was read.
  if (produced === 0) problems.push('the load produced nothing');
  if (input.records + input.missingAcked < produced) problems.push(`read ${fmt(input.records)} input records, fewer than the ${fmt(produced)} acknowledged`);
  if (output.records < input.records - output.lost) problems.push(`read ${fmt(output.records)} output records for ${fmt(input.records)} input records`);
  if (output.mismatched.length) problems.push(`output records that do not match their input offset: ${output.mismatched.join('; ')}`);
  if (output.lost) problems.push(describeLoss(verdict, timeline));
  if (exactlyOnce && output.duplicates) problems.push(describeDuplicates(verdict));
  if (counts.updates === 0 && input.records > 0) problems.push('no count update was read');
  if (counts.below.length || (exactlyOnce && (counts.above.length || counts.breakCount))) problems.push(describeCounts(verdict, exactlyOnce));
  return problems;
}
