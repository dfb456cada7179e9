import type { ChangelogRange, ChangelogReader, StreamsAdmin } from '../client/StreamsClient';
import type { StreamTask } from '../processing/StreamTask';

/** Where the restoration of one store of one task stands. */
export interface RestoreProgress {
  readonly store: string;
  readonly partition: number;
  readonly taskId: string;
  readonly changelog: string;
  restored: number;
  readonly total: number;
  done: boolean;
}

export interface StoreRestorerDeps {
  readonly admin: Pick<StreamsAdmin, 'offsets'>;
  readonly reader: ChangelogReader;
  /** Called at the start, about every `progressEvery` records, and at the end of each store's restoration. */
  readonly onProgress: (progress: RestoreProgress) => void;
  readonly progressEvery?: number;
}

/**
 * Fills the stores of new tasks from their changelogs before the tasks process a record
 * (design section 6): reads each changelog partition from its first offset to the end
 * offset it had when restoration began, and applies every record with `Task.restore`.
 * In-memory stores have no checkpoint, so restoration always starts at the beginning.
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
    for (const { task, store, changelog } of logged) {
      const offsets = ends.find((e) => e.topic === changelog && e.partition === task.spec.partition);
      const from = offsets?.low ?? 0;
      const to = offsets?.high ?? 0;
      const progress: RestoreProgress = { store, partition: task.spec.partition, taskId: task.id, changelog, restored: 0, total: Math.max(0, to - from), done: to <= from };
      this.deps.onProgress(progress);
      if (progress.done) continue;
      const key = `${changelog}\u0000${task.spec.partition}`;
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
        for (const { task, store, progress } of targets.get(`${range.topic}\u0000${range.partition}`) ?? []) {
          if (task.state === 'closed') continue;
          for (const record of records) task.task.restore(store, record.key, record.value, record.timestamp);
          const before = progress.restored;
          const last = records[records.length - 1]!;
          // Counted in offsets, like `total`: a compacted changelog has fewer records than offsets.
          progress.restored = Math.min(progress.total, last.offset + 1 - range.from);
          if (last.offset + 1 >= range.to) {
            progress.restored = progress.total;
            progress.done = true;
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
          progress.restored = progress.total;
          progress.done = true;
          this.deps.onProgress(progress);
        }
      }
    }
  }
}
