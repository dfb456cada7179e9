import { statSync } from 'node:fs';
import { Kafka, logLevel, type Admin, type KafkaConfig } from 'kafkajs';
import type { Topology } from '@tributary/core';
import type { ClientName, ConnectionOptions, KafkaStreams, KafkaStreamsOptions } from '@tributary/kafka';
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
each overrides the file's property. --brokers overrides both. TRIBUTARY_CLIENT (kafkajs, the
default, or platformatic: @platformatic/kafka, Node 22 or newer) is the client an application runs on.`;

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
  /** The Kafka client applications run on (`TRIBUTARY_CLIENT`); KafkaStreams' default when absent. */
  readonly client?: ClientName;
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
    const client = clientName(env.TRIBUTARY_CLIENT);
    target = found && {
      brokers: found,
      ...(client ? { client } : {}),
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

/** `TRIBUTARY_CLIENT`, checked: a name KafkaStreams knows, or an error naming the variable. */
function clientName(value: string | undefined): ClientName | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'kafkajs' || value === 'platformatic') return value;
  throw new Error(`TRIBUTARY_CLIENT must be 'kafkajs' or 'platformatic', got '${value}'`);
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
 * `new KafkaStreams(topology, { ...options, applicationId, brokers, ... })` from
 * `@tributary/kafka`, loaded only when a run goes through Kafka (the embedded engine never
 * loads KafkaJS), with the connection of the command's target (see {@link kafkaTarget}):
 * the target's brokers, TLS and SASL win over the same settings in `options`.
 */
export async function createKafkaApplication(
  topology: Topology,
  target: KafkaTarget,
  options: Omit<KafkaStreamsOptions, 'brokers'>,
): Promise<KafkaStreams> {
  const { KafkaStreams } = await import('@tributary/kafka');
  return new KafkaStreams(topology, {
    ...options,
    ...target.connection,
    brokers: target.brokers,
    ...(target.clientId ? { clientId: target.clientId } : {}),
    ...(target.client ? { client: target.client } : {}),
  });
}
