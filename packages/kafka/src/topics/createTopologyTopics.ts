import { connectAdmin } from '../client/connectAdmin';
import { silentLogger, StreamsError, type Logger, type Topology } from '@tributary/core';
import { planPartitions } from '@tributary/core/runtime';
import { createKafkaJsClient } from '../client/kafkajs/createKafkaJsClient';
import type { StreamsAdmin, StreamsClient } from '../client/StreamsClient';
import { ResolvedConnection, type ConnectionOptions } from '../config/ConnectionOptions';
import { rejectUnknownOptions } from '../config/unknownOptions';
import { parseBrokers } from '../KafkaStreamsOptions';

export interface CreateTopologyTopicsOptions extends ConnectionOptions {
  /** Bootstrap servers: `'host:port'`, `'h1:9092,h2:9092'` or an array. Required. */
  brokers: string | readonly string[];
  /**
   * Partitions of each topic it creates. A topic that must be co-partitioned with an existing
   * one (a join's other input) gets that one's count instead. Defaults to `1`.
   */
  partitions?: number;
  /** Replication factor of the topics it creates. Defaults to `-1`: the broker's `default.replication.factor`. */
  replicationFactor?: number;
  /** Defaults to `'tributary-topics'`. */
  clientId?: string;
  /** Where KafkaJS's log goes. Defaults to none (`silentLogger`): failures are thrown. */
  logger?: Logger;
  /** The Kafka client. Defaults to KafkaJS with the connection options above. */
  client?: StreamsClient;
}

/** A topic and its partition count. */
export interface TopicPartitions {
  readonly topic: string;
  readonly partitions: number;
}

/** What {@link createTopologyTopics} found and did, each list sorted by topic. */
export interface TopologyTopics {
  readonly created: readonly TopicPartitions[];
  readonly existing: readonly TopicPartitions[];
}

const OPTION_NAMES = Object.keys({
  brokers: 1, partitions: 1, replicationFactor: 1, clientId: 1, logger: 1, client: 1,
  ssl: 1, sasl: 1, connectionTimeoutMs: 1, requestTimeoutMs: 1, authenticationTimeoutMs: 1, consumer: 1, producer: 1, admin: 1,
} satisfies Record<keyof CreateTopologyTopicsOptions, 1>);

/**
 * Creates the source and sink topics of a topology that do not exist yet, so that a first
 * `start()` finds them. As in Kafka Streams, the application itself never creates the topics
 * it reads and writes (a typo would make a new, empty topic); this is the explicit step
 * before. Internal topics (repartition topics, changelogs) are left to `start()`, which sizes
 * them from the sources. Topics that must be co-partitioned (a join's inputs) get the same
 * count: an existing one's when there is one. Sinks named by a function are not known before
 * records flow, and are not created.
 *
 * An existing topic keeps its partitions; two co-partitioned topics that already differ are
 * an error naming both (the application would refuse to start).
 *
 * ## Example
 * ```ts
 * import { createTopologyTopics, KafkaStreams } from '@tributary/kafka';
 *
 * const { created } = await createTopologyTopics(topology, { brokers: '127.0.0.1:9092', partitions: 4 });
 * for (const { topic, partitions } of created) console.log(`created ${topic} (${partitions} partitions)`);
 * await new KafkaStreams(topology, { applicationId: 'orders', brokers: '127.0.0.1:9092' }).start();
 * ```
 *
 * @return the topics it created and those that existed, with their partition counts.
 */
export async function createTopologyTopics(topology: Topology, options: CreateTopologyTopicsOptions): Promise<TopologyTopics> {
  rejectUnknownOptions(options, OPTION_NAMES, 'createTopologyTopics options');
  const { brokers: brokerList, partitions = 1, replicationFactor = -1, clientId = 'tributary-topics', logger = silentLogger, client, ...connectionOptions } = options;
  if (!Number.isInteger(partitions) || partitions < 1) throw new StreamsError(`partitions must be a positive integer, got ${String(partitions)}`);
  if (!Number.isInteger(replicationFactor) || (replicationFactor < 1 && replicationFactor !== -1)) {
    throw new StreamsError(`replicationFactor must be a positive integer or -1 (the broker's default), got ${String(replicationFactor)}`);
  }
  const brokers = parseBrokers(brokerList);
  const connection = new ResolvedConnection(connectionOptions);
  if (client && connection.customized) throw new StreamsError('ssl, sasl, consumer, producer and admin configure the built-in KafkaJS client; a client given in `client` brings its own');
  const admin = (client ?? createKafkaJsClient({ brokers, clientId, logger, connection })).admin();
  await connectAdmin(admin, brokers, connection);
  try {
    return await createMissing(admin, topology, partitions, replicationFactor);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function createMissing(admin: StreamsAdmin, topology: Topology, partitions: number, replicationFactor: number): Promise<TopologyTopics> {
  const topics = userTopics(topology);
  const existing = await admin.partitionCounts(topics.all);
  const wanted = topicPartitions(topics, existing, partitions);
  // What start() will check: co-partitioning, and that every repartition topic can be sized.
  planPartitions(topology, (topic) => wanted.get(topic));
  const missing = topics.all.filter((topic) => !existing.has(topic));
  await admin.createTopics(missing.map((name) => ({ name, partitions: wanted.get(name)!, replicationFactor, config: {} })));
  const list = (names: readonly string[]) => names.map((topic) => ({ topic, partitions: wanted.get(topic)! })).sort((a, b) => (a.topic < b.topic ? -1 : 1));
  return { created: list(missing), existing: list(topics.all.filter((topic) => existing.has(topic))) };
}

/** The user topics a topology reads and writes, and which of them must be co-partitioned. */
export interface UserTopics {
  readonly all: readonly string[];
  /** Groups of topics with equal partition counts (groups sharing a topic merged). */
  readonly copartitioned: readonly (readonly string[])[];
}

/** Source topics (global tables' too) and sink topics with a fixed name; internal ones excluded. */
export function userTopics(topology: Topology): UserTopics {
  const all = [...new Set([...topology.sourceTopics(), ...topology.sinkTopics()])];
  const groups: Set<string>[] = [];
  for (const group of topology.subTopologies.flatMap((sub) => sub.copartitionGroups)) {
    const members = new Set(group.filter((source) => !source.internal).flatMap((source) => source.topics));
    if (members.size < 2) continue;
    const overlapping = groups.filter((g) => [...members].some((topic) => g.has(topic)));
    const merged = new Set([...members, ...overlapping.flatMap((g) => [...g])]);
    for (const g of overlapping) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  return { all, copartitioned: groups.map((g) => [...g]) };
}

/**
 * The partition count of every user topic: an existing topic's own; a missing one
 * co-partitioned with existing ones takes theirs, which must agree; any other `partitions`.
 */
export function topicPartitions(topics: UserTopics, existing: ReadonlyMap<string, number>, partitions: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const topic of topics.all) counts.set(topic, existing.get(topic) ?? partitions);
  for (const group of topics.copartitioned) {
    const sized = group.filter((topic) => existing.has(topic));
    const first = sized[0];
    if (first === undefined) continue;
    for (const other of sized.slice(1)) {
      if (existing.get(other) !== existing.get(first)) {
        throw new StreamsError(
          `topics '${first}' (${existing.get(first)} partitions) and '${other}' (${existing.get(other)} partitions) must be co-partitioned for a join: ` +
            'give them the same number of partitions, or repartition one side',
        );
      }
    }
    for (const topic of group) counts.set(topic, existing.get(first)!);
  }
  return counts;
}
