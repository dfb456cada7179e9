import type { StateStore, SubTopology } from '@tributary/core';
import type { Task } from '@tributary/core/runtime';
import type { ChangelogReader, StreamsAdmin } from '../client/StreamsClient';

export interface GlobalStateUpdaterDeps {
  readonly subTopology: SubTopology;
  readonly createTask: (subTopology: SubTopology) => Task;
  readonly admin: Pick<StreamsAdmin, 'offsets'>;
  readonly reader: ChangelogReader;
  readonly onError: (error: Error) => void;
}

/**
 * Keeps the global tables of an instance (Kafka Streams' `GlobalStreamThread`): one task
 * reads every partition of their topics, outside the consumer group. `start()` resolves
 * once the stores hold everything the topics held when it was called (the bootstrap that
 * comes before any stream task runs); afterwards it keeps reading new records. Global
 * topics are their own changelog: nothing is committed, every start reads them in full.
 * The bootstrap goes through the global task's processors, so a custom global store
 * (`addGlobalStore`) is rebuilt by its own processor, as Kafka Streams 4.x reprocesses it.
 */
export class GlobalStateUpdater {
  private readonly task: Task;
  private follower: { stop(): Promise<void> } | undefined;

  constructor(private readonly deps: GlobalStateUpdaterDeps) {
    this.task = deps.createTask(deps.subTopology);
  }

  /** The global stores, for every other task (`TaskOptions.sharedStores`) and for queries. */
  get stores(): ReadonlyMap<string, StateStore> {
    return new Map(this.task.ownStores().map(({ spec, store }) => [spec.name, store]));
  }

  get metrics(): Task['metrics'] {
    return this.task.metrics;
  }

  async start(): Promise<void> {
    const offsets = await this.deps.admin.offsets(this.task.inputTopics());
    const behind = new Map(offsets.filter((o) => o.high > o.low).map((o) => [`${o.topic}\u0000${o.partition}`, o.high]));
    let bootstrapped!: () => void;
    const caughtUp = new Promise<void>((resolve) => (bootstrapped = resolve));
    if (behind.size === 0) bootstrapped();
    let failure: Error | undefined;
    let failed!: (error: Error) => void;
    const failedPromise = new Promise<never>((_, reject) => (failed = reject));
    failedPromise.catch(() => undefined);
    this.follower = await this.deps.reader.follow(
      offsets.map(({ topic, partition, low }) => ({ topic, partition, offset: low })),
      ({ topic, partition }, records, nextOffset) => {
        for (const record of records) this.task.process(record);
        const key = `${topic}\u0000${partition}`;
        const end = behind.get(key);
        if (end !== undefined && nextOffset >= end) {
          behind.delete(key);
          if (behind.size === 0) bootstrapped();
        }
      },
      (error) => {
        failure = error;
        failed(error);
        this.deps.onError(error);
      },
    );
    if (failure) throw failure;
    await Promise.race([caughtUp, failedPromise]);
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
    this.task.close();
  }
}
