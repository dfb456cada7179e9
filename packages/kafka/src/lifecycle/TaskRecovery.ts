import { StreamsError, type Logger } from '@tributary/core';
import type { StreamsAssignor } from '../assignment/StreamsAssignor';
import type { GroupConsumer } from '../client/StreamsClient';
import { isTaskMigration } from '../client/taskMigration';
import type { UncaughtExceptionHandler, UncaughtExceptionResponse } from '../KafkaStreamsOptions';
import type { ProcessingLoop } from '../processing/ProcessingLoop';
import type { StreamTask } from '../processing/StreamTask';
import type { TaskManager } from '../processing/TaskManager';

/** What recovery needs from the running application, passed in so it is tested with plain fakes. */
export interface TaskRecoveryDeps {
  readonly applicationId: string;
  readonly logger: Logger;
  readonly handler: UncaughtExceptionHandler;
  readonly exactlyOnce: boolean;
  /** How long a shutdown request may take to travel through a rebalance. */
  readonly rebalanceTimeoutMs: number;
  readonly tasks: TaskManager;
  readonly consumer: Pick<GroupConsumer, 'rejoin'>;
  readonly assignor: Pick<StreamsAssignor, 'requestShutdown'>;
  readonly loop: Pick<ProcessingLoop, 'stop'>;
  /** True once the application stops (closing, or failed). */
  stopped(): boolean;
  /** Runs the commit sequence, giving up after the revocation timeout; never rejects. */
  commit(reason: string): Promise<void>;
  /** Readies re-created tasks: positions, restore, run. */
  restore(tasks: readonly StreamTask[]): Promise<void>;
  /** A task is gone for good: the application forgets what it tracked of it. */
  forget(task: StreamTask): void;
  /** Reports a failure the application survives (an `error` event). */
  report(error: Error): void;
  /** Stops this instance in ERROR (`shutdown_client`). */
  stop(error: Error): void;
}

/**
 * What happens after a failure (Kafka Streams' `StreamThread` error handling and
 * `StreamsUncaughtExceptionHandler`): fencing under exactly-once is a migration (the task is
 * closed dirty and the member rejoins); any other failure goes to the uncaught-exception
 * handler, which replaces the task, stops this instance, or stops the whole application.
 */
export class TaskRecovery {
  private rejoining: Promise<void> | undefined;
  /** Failed tasks being replaced (their failure is handled once). */
  private readonly replacing = new Set<StreamTask>();
  /** Set once this member asked the whole application to shut down: the failure that made it ask. */
  private applicationShutdown: Error | undefined;

  constructor(private readonly deps: TaskRecoveryDeps) {}

  /** The failure that made this member ask the application to shut down, if it did. */
  get shutdownCause(): Error | undefined {
    return this.applicationShutdown;
  }

  /** A task failed (or its commit did). */
  taskFailed(taskId: string, error: unknown): void {
    if (this.deps.stopped()) return;
    const task = this.deps.tasks.get(taskId);
    if (!task || task.closed || this.replacing.has(task)) return;
    const failure = error instanceof Error ? error : new Error(String(error));
    if (this.deps.exactlyOnce && isTaskMigration(failure)) this.migrate(task, failure);
    else this.uncaught(failure, task);
  }

  /** A failure no error handler took care of, of `task` or of the instance as a whole. */
  uncaught(error: unknown, task: StreamTask | undefined): void {
    if (this.deps.stopped()) return;
    const { applicationId, logger } = this.deps;
    const failure = error instanceof Error ? error : new Error(String(error));
    const response = this.ask(failure);
    if (response === 'replace_task') {
      logger.error(`${applicationId}: ${failure.message}; ${task ? `replacing task ${task.id}` : 'rejoining the group'}`);
      this.deps.report(failure);
      if (task) void this.replace(task);
      else this.rejoin();
    } else if (response === 'shutdown_application') {
      this.shutDownApplication(failure);
    } else {
      this.deps.stop(failure);
    }
  }

  /**
   * A commit was refused because the group dropped this member (Kafka Streams'
   * `CommitFailedException`, handled as all tasks lost): other members may process its
   * partitions already, so every task is closed dirty at once, before it writes more
   * duplicates, and the member rejoins to get an assignment again.
   */
  membershipLost(error: Error): void {
    if (this.deps.stopped()) return;
    const tasks = [...this.deps.tasks.tasks()].filter((t) => !t.closed);
    if (tasks.length > 0) {
      this.deps.logger.warn(`${this.deps.applicationId}: the group no longer counts this member (${error.message}); closing tasks ${tasks.map((t) => t.id).join(', ')} dirty and rejoining`);
    }
    for (const task of tasks) {
      this.deps.forget(task);
      this.deps.tasks.closeTask(task);
    }
    this.rejoin();
  }

  /** Leaves and rejoins the group (once at a time): every task is closed dirty and assigned afresh. */
  rejoin(): void {
    if (this.deps.stopped() || this.rejoining) return;
    this.rejoining = (async () => {
      await this.deps.commit('rejoin');
      if (this.deps.stopped()) return;
      await this.deps.consumer.rejoin();
    })()
      .catch((error: unknown) => this.deps.stop(new StreamsError(`rejoining the group failed: ${(error as Error).message}`, { cause: error })))
      .finally(() => (this.rejoining = undefined));
  }

  private ask(failure: Error): UncaughtExceptionResponse {
    const { applicationId, logger } = this.deps;
    let response: UncaughtExceptionResponse;
    try {
      response = this.deps.handler(failure);
    } catch (handlerError) {
      logger.error(`${applicationId}: the uncaught-exception handler threw: ${(handlerError as Error).message}; shutting down this instance`);
      return 'shutdown_client';
    }
    if (response === 'replace_task' || response === 'shutdown_client' || response === 'shutdown_application') return response;
    logger.error(`${applicationId}: the uncaught-exception handler answered '${String(response)}', not 'replace_task', 'shutdown_client' or 'shutdown_application'; shutting down this instance`);
    return 'shutdown_client';
  }

  /**
   * Kafka Streams' TaskMigrated: the task's producer was fenced, so another member may own it
   * now. Its uncommitted work is dropped (the fencing aborted the transaction), it is closed
   * dirty, and the member rejoins the group; the application goes on.
   */
  private migrate(task: StreamTask, error: Error): void {
    this.deps.logger.warn(`${this.deps.applicationId}: task ${task.id} migrated (${error.message}); closing it dirty and rejoining the group`);
    this.deps.forget(task);
    this.deps.tasks.closeTask(task);
    this.rejoin();
  }

  /**
   * Replaces a failed task: commits what was complete before the failed record (exactly-once:
   * nothing; its transaction is aborted on close), closes it, and creates it again at the
   * committed offsets.
   */
  private async replace(task: StreamTask): Promise<void> {
    this.replacing.add(task);
    task.suspended = true;
    try {
      if (!this.deps.exactlyOnce) await this.deps.commit('replace');
      if (this.deps.stopped() || task.closed) return;
      this.deps.forget(task);
      await this.deps.restore([this.deps.tasks.revive(task)]);
    } finally {
      this.replacing.delete(task);
    }
  }

  /**
   * `shutdown_application`: this member stops processing and rejoins the group asking for a
   * shutdown; the leader's assignment tells every member to stop (each ends in ERROR); then
   * this member stops too.
   */
  private shutDownApplication(failure: Error): void {
    if (this.applicationShutdown) return;
    this.applicationShutdown = failure;
    this.deps.logger.error(`${this.deps.applicationId}: ${failure.message}; asking every instance of the application to shut down`);
    this.deps.loop.stop();
    this.deps.assignor.requestShutdown();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.deps.rebalanceTimeoutMs)));
    void Promise.race([this.deps.consumer.rejoin().catch(() => undefined), timeout]).then(() => {
      clearTimeout(timer);
      this.deps.stop(failure);
    });
  }
}
