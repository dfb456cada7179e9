import type { Task } from '@tributary/core/runtime';
import type { TaskSpec } from '../assignment/TaskLayout';
import { PartitionQueue } from './PartitionQueue';

export type StreamTaskState = 'restoring' | 'running' | 'closed';

/** Latency samples the processing loop fills in (ms). */
export interface LatencyRecorder {
  process(ms: number): void;
  endToEnd(ms: number): void;
}

/**
 * A core {@link Task} with the queues of its input partitions: decides which record goes
 * next (the lowest timestamp at the heads of the queues, design section 4), and when a
 * task with several inputs waits for an empty partition (Kafka Streams' `max.task.idle.ms`).
 */
export class StreamTask {
  readonly id: string;
  readonly queues: readonly PartitionQueue[];
  readonly createdAt = Date.now();
  state: StreamTaskState;
  /** Set while an exactly-once commit waits for a consistent point: the task processes nothing. */
  suspended = false;
  /**
   * Set when a cooperative rebalance takes the task away: it processes nothing more, so the
   * revocation commit covers all it did, and closes with the assignment that follows.
   */
  revoking = false;
  private readonly byTopic: Map<string, PartitionQueue>;
  private idleSince: number | undefined;

  constructor(
    readonly spec: TaskSpec,
    readonly task: Task,
    restoring: boolean,
  ) {
    this.id = spec.id;
    this.state = restoring ? 'restoring' : 'running';
    this.queues = spec.inputs.map(({ topic, partition }) => new PartitionQueue(topic, partition));
    this.byTopic = new Map(this.queues.map((q) => [q.topic, q]));
  }

  /** Processing is held: by an exactly-once commit, or for a revocation. */
  get held(): boolean {
    return this.suspended || this.revoking;
  }

  /** The state, read afresh (TypeScript would narrow `state` across an await). */
  get closed(): boolean {
    return this.state === 'closed';
  }

  queue(topic: string): PartitionQueue | undefined {
    return this.byTopic.get(topic);
  }

  get buffered(): number {
    let n = 0;
    for (const q of this.queues) n += q.size;
    return n;
  }

  /**
   * Processes up to `max` records and returns how many it processed. Stops early when a
   * task with several inputs should wait for an empty partition: one the broker holds
   * records for (at most `idleMs + fetchWaitMs`), or any for `idleMs`.
   * Throws what `Task.process` throws (a task failure).
   */
  process(max: number, now: number, idleMs: number, fetchWaitMs: number, latency: LatencyRecorder): number {
    if (this.state !== 'running' || this.held) return 0;
    const queues = this.queues;
    let processed = 0;
    if (queues.length === 1) {
      const queue = queues[0]!;
      while (processed < max && queue.size > 0) {
        this.processOne(queue, now, latency);
        processed++;
      }
      return processed;
    }
    while (processed < max) {
      let next: PartitionQueue | undefined;
      let waitFor = -1;
      for (const queue of queues) {
        if (queue.size === 0) {
          waitFor = Math.max(waitFor, queue.behind() ? idleMs + fetchWaitMs : idleMs);
          continue;
        }
        if (!next || queue.peek()!.timestamp < next.peek()!.timestamp) next = queue;
      }
      if (!next) break;
      if (waitFor > 0) {
        this.idleSince ??= now;
        if (now - this.idleSince < waitFor) break;
      }
      this.idleSince = undefined;
      this.processOne(next, now, latency);
      processed++;
    }
    return processed;
  }

  /** True when the task has records it would process now (not waiting for another partition). */
  hasWork(): boolean {
    if (this.state !== 'running' || this.held) return false;
    for (const q of this.queues) if (q.size > 0) return true;
    return false;
  }

  /** Fires the task's wall-clock punctuators that are due. Throws what the punctuators' failures make the task throw. */
  punctuate(now: number): void {
    if (this.state !== 'running' || this.held) return;
    this.task.punctuateWallClock(now);
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const q of this.queues) q.clear();
    this.task.close();
  }

  private processOne(queue: PartitionQueue, now: number, latency: LatencyRecorder): void {
    const record = queue.shift();
    const start = performance.now();
    this.task.process(record);
    latency.process(performance.now() - start);
    latency.endToEnd(now - record.timestamp);
  }
}
