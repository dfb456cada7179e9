import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { CliError } from '../args';

/** Where the input topics' offsets go: their start, or the first record at or after a time. */
export type ResetTarget = { readonly kind: 'earliest' } | { readonly kind: 'timestamp'; readonly timestamp: number; readonly label: string };

/** What a reset changes: computed first, printed by `--dry-run`, applied otherwise. */
export interface ResetPlan {
  readonly applicationId: string;
  readonly target: ResetTarget;
  /** Each input partition's committed offset (`null`: none) and the offset it gets. */
  readonly offsets: readonly { topic: string; partition: number; committed: number | null; reset: number }[];
  /** The application's internal topics: `<applicationId>-...-repartition` and `-changelog`. */
  readonly internalTopics: readonly string[];
  /** The local state directory to remove, `<state dir>/<applicationId>`, if one was given; `exists` says whether it is there. */
  readonly stateDir?: { readonly path: string; readonly exists: boolean };
}

/** An internal topic of the application, as Kafka Streams names them (and its reset tool finds them). */
export function isInternalTopic(topic: string, applicationId: string): boolean {
  return topic.startsWith(`${applicationId}-`) && (topic.endsWith('-repartition') || topic.endsWith('-changelog'));
}

/**
 * What Kafka's `kafka-streams-application-reset` does, for a Tributary (or Kafka Streams)
 * application: its consumer group's offsets on the input topics go to their start (or to a
 * time), its internal topics are deleted (they are created again, empty, when it starts), and
 * its local state is removed, so the next start reprocesses the input from there. The group
 * must have no active member: a running instance would commit over the new offsets.
 */
export class ApplicationReset {
  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly applicationId: string,
  ) {}

  /** The plan, without changing anything; a {@link CliError} if the group is active or an input topic is missing. */
  async plan(inputTopics: readonly string[], target: ResetTarget, stateDir: string | undefined): Promise<ResetPlan> {
    const { applicationId } = this;
    const [group] = (await this.admin.describeGroups([applicationId])).groups;
    if (group && group.members.length > 0) {
      const members = group.members.map((m) => `${m.clientId}${m.clientHost}`).join(', ');
      throw new CliError(
        `consumer group '${applicationId}' has ${group.members.length} active member${group.members.length === 1 ? '' : 's'} (state ${group.state}: ${members}). ` +
          'Stop every instance of the application, then reset it (members leave the group when they close, or after session.timeout.ms).',
      );
    }
    const topics = await this.admin.listTopics();
    const missing = inputTopics.filter((t) => !topics.includes(t));
    if (missing.length > 0) throw new CliError(`input topic${missing.length === 1 ? '' : 's'} not found: ${missing.join(', ')}`);

    const committed = new Map<string, number | null>();
    for (const { topic, partitions } of await this.admin.fetchOffsets({ groupId: applicationId, topics: [...inputTopics] })) {
      for (const p of partitions) committed.set(`${topic}:${p.partition}`, Number(p.offset) >= 0 ? Number(p.offset) : null);
    }
    const offsets: ResetPlan['offsets'][number][] = [];
    for (const topic of inputTopics) {
      const targets =
        target.kind === 'earliest'
          ? (await this.admin.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, offset: Number(o.low) }))
          : // The first offset whose timestamp is at or after the time; the log-end when there is none.
            (await this.admin.fetchTopicOffsetsByTimestamp(topic, target.timestamp)).map((o) => ({ partition: o.partition, offset: Number(o.offset) }));
      for (const { partition, offset } of targets.sort((a, b) => a.partition - b.partition)) {
        offsets.push({ topic, partition, committed: committed.get(`${topic}:${partition}`) ?? null, reset: offset });
      }
    }
    const internalTopics = topics.filter((t) => isInternalTopic(t, applicationId)).sort();
    const path = stateDir === undefined ? undefined : join(resolve(stateDir), applicationId);
    return { applicationId, target, offsets, internalTopics, ...(path ? { stateDir: { path, exists: existsSync(path) } } : {}) };
  }

  /** Applies a plan: the offsets, then the internal topics, then the local state. */
  async apply(plan: ResetPlan, joinTimeoutMs = 60_000): Promise<void> {
    await this.commitOffsets(plan, joinTimeoutMs);
    if (plan.internalTopics.length > 0) await this.admin.deleteTopics({ topics: [...plan.internalTopics], timeout: 30_000 });
    if (plan.stateDir?.exists) rmSync(plan.stateDir.path, { recursive: true, force: true });
  }

  /**
   * Commits the plan's offsets as a member of the group: it joins (the group is empty, so it
   * gets every partition), pauses so that it fetches nothing, commits, checks with the admin
   * client that the offsets are there, and leaves.
   */
  private async commitOffsets(plan: ResetPlan, joinTimeoutMs: number): Promise<void> {
    if (plan.offsets.length === 0) return;
    const topics = [...new Set(plan.offsets.map((o) => o.topic))];
    const consumer = this.kafka.consumer({ groupId: plan.applicationId, allowAutoTopicCreation: false });
    let timer: NodeJS.Timeout | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics });
      const joined = new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.GROUP_JOIN, () => resolve());
        timer = setTimeout(() => reject(new Error(`not admitted to the group within ${joinTimeoutMs / 1000}s`)), joinTimeoutMs);
      });
      await consumer.run({ autoCommit: false, eachBatch: async () => {} });
      consumer.pause(topics.map((topic) => ({ topic })));
      await joined;
      await consumer.commitOffsets(plan.offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.reset) })));
    } catch (error) {
      throw new CliError(`could not reset the offsets of group '${plan.applicationId}': ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
      await consumer.disconnect().catch(() => {});
    }
    const committed = new Map<string, number>();
    for (const { topic, partitions } of await this.admin.fetchOffsets({ groupId: plan.applicationId, topics })) {
      for (const p of partitions) committed.set(`${topic}:${p.partition}`, Number(p.offset));
    }
    const wrong = plan.offsets.filter((o) => committed.get(`${o.topic}:${o.partition}`) !== o.reset);
    if (wrong.length > 0) {
      throw new CliError(`the offsets did not take: ${wrong.map((o) => `${o.topic}:${o.partition} is at ${committed.get(`${o.topic}:${o.partition}`)}, not ${o.reset}`).join(', ')}; is an instance of the application running?`);
    }
  }
}
