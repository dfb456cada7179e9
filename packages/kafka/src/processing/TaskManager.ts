import type { Logger } from '@tributary/core';
import type { CommitTracker, Task } from '@tributary/core/runtime';
import type { TaskLayout, TaskSpec } from '../assignment/TaskLayout';
import { partitionKey, type GroupConsumer, type TopicPartition } from '../client/StreamsClient';
import type { PartitionQueue } from './PartitionQueue';
import { StreamTask } from './StreamTask';

export interface TaskManagerDeps {
  readonly layout: TaskLayout;
  readonly createTask: (spec: TaskSpec) => Task;
  /** Whether a new task must restore stores before it processes (it has logged stores). */
  readonly needsRestore: (spec: TaskSpec) => boolean;
  readonly tracker: Pick<CommitTracker, 'forget'>;
  readonly consumer: Pick<GroupConsumer, 'pause' | 'resume' | 'seek'>;
  readonly logger: Logger;
  /** A task was created (for an assignment, or revived). */
  readonly onCreated?: (task: StreamTask) => void;
  /** A task closed on revocation: its counters are kept by the caller. */
  readonly onClosed?: (task: StreamTask) => void;
}

export interface AssignmentChange {
  readonly created: readonly StreamTask[];
  readonly closed: readonly StreamTask[];
  readonly kept: readonly StreamTask[];
}

/**
 * The tasks this instance runs (Kafka Streams' `TaskManager`): creates them for a new
 * assignment, closes the revoked ones, and keeps the consumer where the kept ones were.
 */
export class TaskManager {
  private readonly running = new Map<string, StreamTask>();
  private readonly queues = new Map<string, { task: StreamTask; queue: PartitionQueue }>();

  constructor(private readonly deps: TaskManagerDeps) {}

  tasks(): IterableIterator<StreamTask> {
    return this.running.values();
  }

  get size(): number {
    return this.running.size;
  }

  ownedTaskIds(): string[] {
    return [...this.running.keys()];
  }

  /** The task and queue of an owned input partition. */
  route(topic: string, partition: number): { task: StreamTask; queue: PartitionQueue } | undefined {
    return this.queues.get(partitionKey(topic, partition));
  }

  owns(topic: string, partition: number): boolean {
    return this.queues.has(partitionKey(topic, partition));
  }

  /** The owned tasks that read any of `partitions`. */
  tasksReading(partitions: readonly TopicPartition[]): StreamTask[] {
    const tasks = new Set<StreamTask>();
    for (const { topic, partition } of partitions) {
      const route = this.queues.get(partitionKey(topic, partition));
      if (route) tasks.add(route.task);
    }
    return [...tasks];
  }

  ownedPartitions(): PartitionQueue[] {
    return [...this.queues.values()].map(({ queue }) => queue);
  }

  /**
   * Applies a new generation's assignment. Kept tasks go on where they were: KafkaJS starts
   * every partition from the committed offset after a join, so each kept partition is
   * sought back to the offset after the last record fetched. When the member was `lost`
   * (out of the group since its last assignment), another member may have owned any of its
   * tasks meanwhile and moved their state and offsets on: none is kept, each is closed
   * dirty and created again, to restore and start from the committed offsets.
   */
  assign(partitions: readonly TopicPartition[], lost = false): AssignmentChange {
    const specs = this.deps.layout.tasksFor(partitions);
    const partial = partitions.filter((p) => !specs.some((s) => s.inputs.some((i) => i.topic === p.topic && i.partition === p.partition)));
    if (partial.length > 0) {
      this.deps.logger.warn(`assigned partitions that form no complete task, not read: ${partial.map((p) => `${p.topic}-${p.partition}`).join(', ')}`);
    }
    const wanted = new Set(specs.map((s) => s.id));
    const closed: StreamTask[] = [];
    for (const task of [...this.running.values()]) {
      if (wanted.has(task.id) && !lost) continue;
      this.close(task);
      closed.push(task);
    }
    const created: StreamTask[] = [];
    const kept: StreamTask[] = [];
    for (const spec of specs) {
      const existing = this.running.get(spec.id);
      if (existing) {
        kept.push(existing);
        for (const queue of existing.queues) {
          if (queue.position !== undefined) this.deps.consumer.seek({ topic: queue.topic, partition: queue.partition, offset: queue.position });
        }
        continue;
      }
      created.push(this.create(spec, this.deps.needsRestore(spec)));
    }
    this.applyPauses();
    return { created, closed, kept };
  }

  /**
   * Closes a task dirty and creates it again from its spec (Kafka Streams' revive): the new
   * task restores its stores and starts at the committed offsets, so it begins restoring
   * (its partitions paused) whatever its stores.
   */
  revive(task: StreamTask): StreamTask {
    if (this.running.get(task.id) !== task) throw new Error(`task ${task.id} is not running here`);
    this.close(task);
    const revived = this.create(task.spec, true);
    this.applyPauses(revived.queues);
    return revived;
  }

  /**
   * Closes a task outside of an assignment (it migrated): its partitions stay assigned to
   * this member until the next assignment, paused, so nothing is fetched for them meanwhile.
   */
  closeTask(task: StreamTask): void {
    if (this.running.get(task.id) !== task) return;
    this.close(task);
    this.deps.consumer.pause(task.queues.map(({ topic, partition }) => ({ topic, partition })));
  }

  /** The running task with this id. */
  get(id: string): StreamTask | undefined {
    return this.running.get(id);
  }

  /** A restored task starts processing. */
  markRunning(task: StreamTask): void {
    if (task.state !== 'restoring') return;
    task.state = 'running';
    this.applyPauses(task.queues);
  }

  /** Pauses or resumes a partition whose buffer overflowed or drained. */
  setOverflow(queue: PartitionQueue, paused: boolean): void {
    if (queue.paused === paused) return;
    queue.paused = paused;
    this.applyPauses([queue]);
  }

  /**
   * Tells the consumer which owned partitions to fetch: not those of restoring tasks, nor
   * overflowing ones. Applied after every assignment (a restarted KafkaJS consumer forgets).
   */
  applyPauses(queues: Iterable<PartitionQueue> = this.ownedPartitions()): void {
    const pause: TopicPartition[] = [];
    const resume: TopicPartition[] = [];
    for (const queue of queues) {
      const route = this.queues.get(partitionKey(queue.topic, queue.partition));
      if (!route) continue;
      (route.task.state === 'restoring' || queue.paused ? pause : resume).push({ topic: queue.topic, partition: queue.partition });
    }
    this.deps.consumer.pause(pause);
    this.deps.consumer.resume(resume);
  }

  private create(spec: TaskSpec, restoring: boolean): StreamTask {
    const task = new StreamTask(spec, this.deps.createTask(spec), restoring);
    this.running.set(task.id, task);
    for (const queue of task.queues) this.queues.set(partitionKey(queue.topic, queue.partition), { task, queue });
    this.deps.onCreated?.(task);
    return task;
  }

  closeAll(): void {
    for (const task of [...this.running.values()]) this.close(task);
  }

  private close(task: StreamTask): void {
    this.running.delete(task.id);
    for (const queue of task.queues) {
      this.queues.delete(partitionKey(queue.topic, queue.partition));
      this.deps.tracker.forget(queue.topic, queue.partition);
    }
    try {
      task.close();
    } catch (error) {
      this.deps.logger.warn(`closing task ${task.id} failed: ${(error as Error).message}`);
    }
    this.deps.onClosed?.(task);
  }
}
