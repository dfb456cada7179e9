import type { Logger } from '@tributary/core';
import type { ChangelogRange, ChangelogReader, StreamsAdmin } from '../client/StreamsClient';
import type { StreamTask } from '../processing/StreamTask';

/** Where the restoration of one store of one task stands. */
export interface RestoreProgress {
  readonly store: string;
  readonly partition: number;
  readonly taskId: string;
  readonly changelog: string;
  /** The changelog offset restoration starts at: the store's checkpoint, else the partition's first offset. */
  readonly startOffset: number;
  /** The changelog's end offset when restoration began: it restores up to there. */
  readonly endOffset: number;
  /** Whether it starts from a checkpoint (a persistent store that kept its state) rather than from scratch. */
  readonly fromCheckpoint: boolean;
  /** Offsets restored so far, of `total`. */
  restored: number;
  readonly total: number;
  done: boolean;
  /** When restoration of this store began (ms since the epoch). */
  readonly startedAt: number;
  /** Offsets restored per second so far; `0` before the first batch. */
  ratePerSecond: number;
  /** Estimated time left at the rate so far (ms); `undefined` while no rate is known, `0` when done. */
  remainingMs: number | undefined;
}

export interface StoreRestorerDeps {
  readonly admin: Pick<StreamsAdmin, 'offsets'>;
  readonly reader: ChangelogReader;
  /** Called at the start, about every `progressEvery` records, and at the end of each store's restoration. */
  readonly onProgress: (progress: RestoreProgress) => void;
  readonly progressEvery?: number;
  /** The checkpointed offset a task's persistent store holds its changelog up to; `undefined` restores from the first offset. Defaults to none. */
  readonly checkpointedOffset?: (task: StreamTask, changelog: string) => number | undefined;
  /** Defaults to `Date.now`. */
  readonly now?: () => number;
  /** Where a store cleared for a checkpoint its changelog does not hold is reported. Defaults to none. */
  readonly logger?: Pick<Logger, 'warn'>;
}

/**
 * Fills the stores of new tasks from their changelogs before the tasks process a record
 * (design section 6): reads each changelog partition from its start offset to the end
 * offset it had when restoration began, and applies every record with `Task.restore`.
 * In-memory stores start at the first offset; a persistent store at its checkpointed offset
 * when the changelog still has it. A checkpoint beyond the changelog's end or before its
 * first offset cannot be trusted: the store is cleared and restores from the first offset,
 * as Kafka Streams wipes a corrupted task. Progress reports the rate and the time left.
 */
export class StoreRestorer {
  constructor(private readonly deps: StoreRestorerDeps) {}

  async restore(tasks: readonly StreamTask[], signal?: AbortSignal): Promise<void> {
    const logged = tasks.flatMap((task) =>
      task.task.ownStores().filter(({ spec }) => spec.logging).map(({ spec }) => ({ task, store: spec.name, changelog: task.task.changelogTopic(spec) })),
    );
    if (logged.length === 0) return;
    const ends = await this.deps.admin.offsets([...new Set(logged.map((l) => l.changelog))]);
    const ranges: ChangelogRange[] = [];
    const targets = new Map<string, { task: StreamTask; store: string; progress: RestoreProgress }[]>();
    const now = this.deps.now ?? Date.now;
    for (const { task, store, changelog } of logged) {
      const offsets = ends.find((e) => e.topic === changelog && e.partition === task.spec.partition);
      const low = offsets?.low ?? 0;
      const to = offsets?.high ?? 0;
      const checkpoint = this.deps.checkpointedOffset?.(task, changelog);
      const fromCheckpoint = checkpoint !== undefined && checkpoint >= low && checkpoint <= to;
      if (checkpoint !== undefined && !fromCheckpoint) this.clear(task, store, changelog, checkpoint, low, to);
      const from = fromCheckpoint ? checkpoint : low;
      const done = to <= from;
      const progress: RestoreProgress = {
        store,
        partition: task.spec.partition,
        taskId: task.id,
        changelog,
        startOffset: from,
        endOffset: to,
        fromCheckpoint,
        restored: 0,
        total: Math.max(0, to - from),
        done,
        startedAt: now(),
        ratePerSecond: 0,
        remainingMs: done ? 0 : undefined,
      };
      this.deps.onProgress(progress);
      if (progress.done) continue;
      // Stores of one changelog partition share one read (each store has its own changelog, so this is one store).
      const key = `${changelog}\u0000${task.spec.partition}\u0000${from}`;
      if (!targets.has(key)) {
        targets.set(key, []);
        ranges.push({ topic: changelog, partition: task.spec.partition, from, to });
      }
      targets.get(key)!.push({ task, store, progress });
    }
    if (ranges.length === 0) return;
    const every = this.deps.progressEvery ?? 10_000;
    await this.deps.reader.read(
      ranges,
      (range, records) => {
        for (const { task, store, progress } of targets.get(`${range.topic}\u0000${range.partition}\u0000${range.from}`) ?? []) {
          if (task.state === 'closed') continue;
          for (const record of records) task.task.restore(store, record.key, record.value, record.timestamp);
          const before = progress.restored;
          const last = records[records.length - 1]!;
          // Counted in offsets, like `total`: a compacted changelog has fewer records than offsets.
          progress.restored = Math.min(progress.total, last.offset + 1 - range.from);
          measure(progress, now());
          if (last.offset + 1 >= range.to) {
            finish(progress, now());
            this.deps.onProgress(progress);
          } else if (Math.floor(progress.restored / every) > Math.floor(before / every)) {
            this.deps.onProgress(progress);
          }
        }
      },
      signal,
    );
    for (const list of targets.values()) {
      for (const { progress } of list) {
        if (!progress.done) {
          // A compacted changelog has gaps: the last offsets may hold no record any more.
          finish(progress, now());
          this.deps.onProgress(progress);
        }
      }
    }
  }

  /** A store whose checkpoint its changelog does not hold: cleared, so the restore from the first offset rebuilds it whole. */
  private clear(task: StreamTask, store: string, changelog: string, checkpoint: number, low: number, high: number): void {
    const found = task.task.ownStores().find(({ spec }) => spec.name === store)?.store as { clear?: () => void } | undefined;
    const where = `${changelog}-${task.spec.partition} holds offsets ${low} to ${high}`;
    if (found?.clear) {
      found.clear();
      this.deps.logger?.warn(`task ${task.id}: store '${store}' was checkpointed at offset ${checkpoint}, but ${where}: its state is dropped and restored from scratch`);
    } else {
      this.deps.logger?.warn(`task ${task.id}: store '${store}' starts at offset ${checkpoint}, but ${where}: it restores from the first offset on top of what it holds`);
    }
  }
}

/** The rate so far, and the time left at that rate. */
function measure(progress: RestoreProgress, now: number): void {
  const seconds = Math.max(now - progress.startedAt, 1) / 1000;
  progress.ratePerSecond = progress.restored / seconds;
  progress.remainingMs = progress.ratePerSecond > 0 ? Math.round(((progress.total - progress.restored) / progress.ratePerSecond) * 1000) : undefined;
}

function finish(progress: RestoreProgress, now: number): void {
  progress.restored = progress.total;
  progress.done = true;
  measure(progress, now);
  progress.remainingMs = 0;
}
