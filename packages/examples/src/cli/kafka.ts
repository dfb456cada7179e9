import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { Kafka, logLevel, Partitioners, type Admin, type KafkaConfig } from 'kafkajs';
import { ErrorHandlers, type StreamsApplication, type Topology } from '@tributary/core';
import { planPartitions } from '@tributary/core/runtime';
import type { ConnectionOptions } from '@tributary/kafka';
import type { CustomerInteraction } from '../data';
import { CRM_APPLICATION_ID } from '../pipelines/topics';
import { CliError, parseBrokers } from './args';

/** How long the CLI waits for a broker before saying it cannot reach it. */
export const CONNECT_TIMEOUT_MS = 5000;

/** The options of every command that talks to Kafka. */
export const CONNECTION_OPTIONS = {
  brokers: { type: 'string', multiple: true },
  'command-config': { type: 'string' },
} as const;

/** Their help lines. */
export const CONNECTION_HELP = `  --brokers LIST          bootstrap brokers, host:port, comma-separated. Defaults to
                          bootstrap.servers of --command-config, or TRIBUTARY_BROKERS
  --command-config FILE   Kafka client properties, as Kafka's tools take them:
                          security.protocol, sasl.mechanism, sasl.jaas.config, PEM
                          ssl.truststore.* and ssl.keystore.* (see the README)`;

/** Where the connection settings may also come from, for help texts. */
export const ENVIRONMENT_HELP = `Environment: TRIBUTARY_BROKERS, TRIBUTARY_COMMAND_CONFIG (a properties file, used when
--command-config is not given), TRIBUTARY_SECURITY_PROTOCOL, TRIBUTARY_SASL_MECHANISM,
TRIBUTARY_SASL_USERNAME, TRIBUTARY_SASL_PASSWORD, TRIBUTARY_SSL_CA_LOCATION,
TRIBUTARY_SSL_CERTIFICATE_LOCATION, TRIBUTARY_SSL_KEY_LOCATION, TRIBUTARY_SSL_KEY_PASSWORD;
each overrides the file's property. --brokers overrides both.`;

/** The KafkaJS settings a connection gives: TLS, SASL and timeouts. */
type KafkaJsConnectionConfig = Pick<KafkaConfig, 'ssl' | 'sasl' | 'connectionTimeout' | 'requestTimeout' | 'authenticationTimeout'>;

/**
 * Where and how the CLI reaches Kafka. The connection holds secrets: the CLI hands it to
 * KafkaJS and KafkaStreams and prints only {@link KafkaTarget.security}.
 */
export interface KafkaTarget {
  readonly brokers: string[];
  /** `client.id` of the properties, if given. */
  readonly clientId?: string;
  readonly connection: ConnectionOptions;
  /** What the connection is, without secrets: `SASL_SSL (scram-sha-512 as 'alice')`. */
  readonly security: string;
  /** The same settings for the CLI's own KafkaJS clients. */
  readonly kafkaJs: KafkaJsConnectionConfig;
  /** Why a first connection failed, when retrying cannot help (a refused login, an untrusted certificate). */
  readonly permanentFailure: (error: unknown) => Error | undefined;
}


/**
 * The brokers and connection of a command: `--command-config FILE` (or else the file in
 * `TRIBUTARY_COMMAND_CONFIG`), overridden by the other `TRIBUTARY_*` variables, and
 * `--brokers` over both. `undefined` when none of them names a broker. A bad file or
 * variable is a {@link CliError} naming the file and line, or the variable (never a secret).
 * Loads `@tributary/kafka` (and so KafkaJS) only here, when a command goes to Kafka.
 */
export async function kafkaTarget(values: { brokers?: string[]; 'command-config'?: string }, env: NodeJS.ProcessEnv = process.env): Promise<KafkaTarget | undefined> {
  const file = values['command-config'];
  if (file !== undefined) {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) throw new CliError(`--command-config: no such file '${file}'`, 2);
    if (!stat.isFile()) throw new CliError(`--command-config: '${file}' is not a file`, 2);
  }
  const brokers = parseBrokers(values.brokers);
  const { connectionFromEnvironment, kafkaJsConnection, permanentConnectionFailure, ResolvedConnection } = await import('@tributary/kafka');
  let target: KafkaTarget | undefined;
  try {
    const settings = connectionFromEnvironment(file === undefined ? env : { ...env, TRIBUTARY_COMMAND_CONFIG: file });
    const resolved = new ResolvedConnection(settings.connection);
    const found = brokers ?? settings.brokers;
    target = found && {
      brokers: found,
      ...(settings.clientId ? { clientId: settings.clientId } : {}),
      connection: settings.connection,
      security: resolved.toString(),
      kafkaJs: kafkaJsConnection(resolved.forClient('admin')),
      permanentFailure: (error) => permanentConnectionFailure(error, resolved.tls),
    };
  } catch (error) {
    // The parsers' messages name the file and line or the variable, and hold no secret.
    throw new CliError(error instanceof Error ? error.message : String(error), 2);
  }
  return target;
}

/** {@link kafkaTarget}, or a {@link CliError} saying where brokers may be given. */
export async function requireKafkaTarget(values: { brokers?: string[]; 'command-config'?: string }, usage: string): Promise<KafkaTarget> {
  const target = await kafkaTarget(values);
  if (!target) throw new CliError(`--brokers is required (or bootstrap.servers in --command-config, or TRIBUTARY_BROKERS)\n\n${usage}`, 2);
  return target;
}

/** A KafkaJS client that fails fast and quietly: the CLI reports errors itself. */
export function kafkaClient(target: KafkaTarget, clientId = 'tributary-cli'): Kafka {
  return new Kafka({
    clientId: target.clientId ?? clientId,
    brokers: [...target.brokers],
    ...target.kafkaJs,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
    logLevel: logLevel.NOTHING,
  });
}

/**
 * Connects an admin client, or throws a {@link CliError} naming the address and the reason:
 * what to change when retrying cannot help (a refused login, an untrusted certificate, TLS
 * on a plaintext port), or that no broker answered within {@link CONNECT_TIMEOUT_MS}
 * (instead of KafkaJS's retries and stack trace).
 */
export async function connectAdmin(kafka: Kafka, target: KafkaTarget): Promise<Admin> {
  const admin = kafka.admin();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000}s`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([admin.connect().then(() => admin.describeCluster()), timeout]);
    return admin;
  } catch (error) {
    await admin.disconnect().catch(() => {});
    const brokers = target.brokers.join(',');
    const permanent = target.permanentFailure(error);
    if (permanent) throw new CliError(`cannot connect to Kafka at ${brokers} (${target.security}): ${permanent.message}`);
    throw new CliError(`cannot reach Kafka at ${brokers}${target.security === 'PLAINTEXT' ? '' : ` (${target.security})`}: ${reason(error)}. Is a broker running there? (start one with 'pnpm kafka:start')`);
  } finally {
    clearTimeout(timer);
  }
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !message.includes(cause) ? `${message} (${cause})` : message;
}

/**
 * `new KafkaStreams(topology, { applicationId, brokers, ... })` from `@tributary/kafka`,
 * loaded only when a run goes through Kafka (the embedded engine never loads KafkaJS), with
 * the connection of the command's target (see {@link kafkaTarget}).
 * Commits and metrics every second, rather than Kafka Streams' 30 seconds, so that the
 * progress display shows live lag and the run knows promptly when it has caught up.
 */
export async function createKafkaApplication(
  topology: Topology,
  applicationId: string,
  target: KafkaTarget,
): Promise<StreamsApplication> {
  const { KafkaStreams } = await import('@tributary/kafka');
  return new KafkaStreams(topology, {
    ...target.connection,
    applicationId,
    brokers: target.brokers,
    ...(target.clientId ? { clientId: target.clientId } : {}),
    commitIntervalMs: 1000,
    metricsIntervalMs: 1000,
    deserializationErrorHandler: ErrorHandlers.logAndContinue(),
  });
}

/** The Kafka side of a CLI run: topics, producing the data, reading the outputs back. */
export class KafkaRunner {
  private constructor(
    readonly brokers: string[],
    private readonly kafka: Kafka,
    private readonly admin: Admin,
  ) {}

  /** Connects to the target's brokers with its connection (see {@link kafkaTarget}). */
  static async connect(target: KafkaTarget): Promise<KafkaRunner> {
    const kafka = kafkaClient(target);
    return new KafkaRunner(target.brokers, kafka, await connectAdmin(kafka, target));
  }

  /**
   * Starts the run from scratch: deletes the input and output topics, the application's
   * internal topics (`crm_consumer_group-*`) and its committed offsets, left by an earlier
   * run, then creates the input topic with `partitions` partitions, the output topics, and
   * the topology's repartition topics, all without time-based retention.
   */
  async prepareTopics(input: string, partitions: number, outputs: readonly string[], topology: Topology): Promise<void> {
    const existing = await this.admin.listTopics();
    const stale = existing.filter((t) => t === input || outputs.includes(t) || t.startsWith(`${CRM_APPLICATION_ID}-`));
    await this.admin.deleteGroups([CRM_APPLICATION_ID]).catch(() => {});
    if (stale.length > 0) {
      await this.admin.deleteTopics({ topics: stale, timeout: 30_000 });
      await this.until(async () => {
        const left = await this.admin.listTopics();
        return stale.every((t) => !left.includes(t));
      }, 'the old topics to be deleted');
    }
    // No time-based retention: the records carry their 2010-2011 event times, and with the
    // broker's default (7 days) it deletes them while the run is going on. That holds for
    // the repartition topics too, which KafkaStreams would create with the default: created
    // here first, with the partition counts it plans (it accepts existing ones that match).
    const configEntries = [{ name: 'retention.ms', value: '-1' }];
    const plan = planPartitions(topology, (topic) => (topic === input ? partitions : undefined));
    const repartition = topology
      .internalTopics()
      .filter((t) => t.kind === 'repartition')
      .map((t) => ({ topic: `${CRM_APPLICATION_ID}-${t.name}`, numPartitions: plan.internalTopics.get(t.name)!, configEntries: [...configEntries, { name: 'cleanup.policy', value: 'delete' }] }));
    const topics = [...[input, ...outputs].map((topic) => ({ topic, numPartitions: partitions, configEntries })), ...repartition];
    await this.until(async () => {
      try {
        await this.admin.createTopics({ topics, waitForLeaders: true });
        return true;
      } catch {
        return false; // still marked for deletion
      }
    }, 'the topics to be created');
  }

  /** Produces the interactions to `topic` (key customer id, JSON value, event-time timestamp), in batches. */
  async produceInteractions(topic: string, interactions: readonly CustomerInteraction[], batchSize = 5000): Promise<void> {
    const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (let i = 0; i < interactions.length; i += batchSize) {
        const messages = interactions.slice(i, i + batchSize).map((interaction) => ({
          key: interaction.customerId,
          value: JSON.stringify(interaction),
          timestamp: String(interaction.timestamp),
        }));
        await producer.send({ topic, messages, acks: -1 });
      }
    } finally {
      await producer.disconnect();
    }
  }

  /** Every record of each topic up to its current end, values parsed as JSON. */
  async readTopics(topics: readonly string[]): Promise<Map<string, unknown[]>> {
    const result = new Map<string, unknown[]>(topics.map((t) => [t, []]));
    const remaining = new Map<string, number>(); // `${topic}:${partition}` -> end offset still to reach
    for (const topic of topics) {
      for (const { partition, high, low } of await this.admin.fetchTopicOffsets(topic)) {
        if (Number(high) > Number(low)) remaining.set(`${topic}:${partition}`, Number(high));
      }
    }
    if (remaining.size === 0) return result;
    const groupId = `tributary-cli-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [...topics], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const key = `${batch.topic}:${batch.partition}`;
              const end = remaining.get(key);
              if (end === undefined) return;
              const values = result.get(batch.topic)!;
              for (const message of batch.messages) {
                if (Number(message.offset) >= end) break;
                values.push(message.value === null ? null : JSON.parse(message.value.toString('utf8')));
              }
              if (Number(batch.lastOffset()) + 1 >= end) remaining.delete(key);
              if (remaining.size === 0) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await this.admin.deleteGroups([groupId]).catch(() => {});
    }
    return result;
  }

  async disconnect(): Promise<void> {
    await this.admin.disconnect();
  }

  private async until(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new CliError(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
