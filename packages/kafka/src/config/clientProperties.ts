import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { StreamsError } from '@tributary/core';
import { parseBrokers } from '../KafkaStreamsOptions';
import type { AdminSettings, ConnectionOptions, ConsumerSettings, ProducerSettings, SaslPasswordOptions } from './ConnectionOptions';
import { parseJaasConfig } from './jaasConfig';
import { parseJavaProperties } from './javaProperties';
import { TLS_PROPERTIES, tlsFromProperties } from './tlsProperties';
import { rejectUnknownOptions } from './unknownOptions';

/** What a client properties file (or the environment) says about reaching a cluster. */
export interface ClientProperties {
  /** `bootstrap.servers`, when given. */
  brokers?: string[];
  /** `client.id`, when given. */
  clientId?: string;
  /** TLS, SASL, timeouts and each kind of client's settings; holds secrets, so never log it. */
  connection: ConnectionOptions;
}

/** One setting and where it was given, for the error messages. */
export interface ClientProperty {
  readonly key: string;
  /** Trimmed, as Kafka trims every value. */
  readonly value: string;
  /** `client.properties:7`, or `environment variable TRIBUTARY_SASL_MECHANISM (sasl.mechanism)`. */
  readonly where: string;
  /** Relative file names in the value resolve against it. */
  readonly directory: string;
}

/**
 * Reads a Kafka client properties file, the file Kafka's own tools take with
 * `--command-config`, into brokers, client id and {@link ConnectionOptions}. Certificate and
 * key files it names are read too, relative names against the file's directory.
 * See {@link parseClientProperties} for the properties it knows.
 *
 * ## Example
 * ```ts
 * import { KafkaStreams, readClientProperties } from '@tributary/kafka';
 *
 * const { brokers, connection } = readClientProperties('client.properties');
 * const app = new KafkaStreams(topology, { applicationId: 'orders', brokers: brokers!, ...connection });
 * ```
 */
export function readClientProperties(path: string): ClientProperties {
  return clientPropertiesFrom(clientPropertiesFile(path));
}

/**
 * Reads the text of a Kafka client properties file (Java `.properties` syntax). It knows:
 * - `bootstrap.servers`, `client.id`;
 * - `security.protocol`: `PLAINTEXT` (the default), `SSL`, `SASL_PLAINTEXT`, `SASL_SSL`;
 * - `sasl.mechanism` (`PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512`) with the user name and
 *   password of `sasl.jaas.config` (`PlainLoginModule` or `ScramLoginModule`), or of
 *   librdkafka's `sasl.username` and `sasl.password`, which win. Kerberos (GSSAPI, Kafka's
 *   default mechanism), OAUTHBEARER and AWS_MSK_IAM are errors saying what to do instead;
 * - PEM trust and key stores: `ssl.truststore.location` or `ssl.truststore.certificates`,
 *   `ssl.keystore.location` or `ssl.keystore.certificate.chain` and `ssl.keystore.key`,
 *   librdkafka's `ssl.ca.location`, `ssl.certificate.location` and `ssl.key.location`,
 *   `ssl.key.password`, and `ssl.endpoint.identification.algorithm` (empty: no host name
 *   check). A JKS or PKCS12 store is an error giving the command that converts it to PEM;
 * - `request.timeout.ms`, `socket.connection.setup.timeout.ms`, and with Kafka Streams'
 *   `consumer.`, `producer.` and `admin.` prefixes the client settings of
 *   {@link ConsumerSettings}, {@link ProducerSettings} and {@link AdminSettings}.
 *
 * Any other property is an error naming it, `source` and the line, with the closest known
 * name. No error message holds a password, a key or the JAAS configuration.
 *
 * @param source names the file in error messages.
 * @param directory where relative certificate file names resolve. Defaults to the working directory.
 */
export function parseClientProperties(text: string, source: string, directory = process.cwd()): ClientProperties {
  return clientPropertiesFrom(propertiesOf(text, source, directory));
}

/** The settings of a properties file, each with its `file:line`. */
export function clientPropertiesFile(path: string): ClientProperty[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new StreamsError(`cannot read the client properties file '${path}': ${code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, { cause });
  }
  return propertiesOf(text, path, dirname(path));
}

function propertiesOf(text: string, source: string, directory: string): ClientProperty[] {
  return parseJavaProperties(text, source).map(({ key, value, line }) => ({ key, value: value.trim(), where: `${source}:${line}`, directory }));
}

type SettingKind = 'milliseconds' | 'bytes' | 'count' | 'rack' | 'compression';

/** The client settings, by property, to the {@link ConnectionOptions} field they set. */
const CLIENT_SETTINGS: Readonly<Record<string, readonly ['' | 'consumer' | 'producer' | 'admin', string, SettingKind]>> = {
  'request.timeout.ms': ['', 'requestTimeoutMs', 'milliseconds'],
  'socket.connection.setup.timeout.ms': ['', 'connectionTimeoutMs', 'milliseconds'],
  'consumer.request.timeout.ms': ['consumer', 'requestTimeoutMs', 'milliseconds'],
  'consumer.socket.connection.setup.timeout.ms': ['consumer', 'connectionTimeoutMs', 'milliseconds'],
  'consumer.fetch.min.bytes': ['consumer', 'minBytes', 'bytes'],
  'consumer.fetch.max.bytes': ['consumer', 'maxBytes', 'bytes'],
  'consumer.client.rack': ['consumer', 'rackId', 'rack'],
  'consumer.metadata.max.age.ms': ['consumer', 'metadataMaxAgeMs', 'milliseconds'],
  'producer.request.timeout.ms': ['producer', 'requestTimeoutMs', 'milliseconds'],
  'producer.socket.connection.setup.timeout.ms': ['producer', 'connectionTimeoutMs', 'milliseconds'],
  'producer.compression.type': ['producer', 'compression', 'compression'],
  'producer.metadata.max.age.ms': ['producer', 'metadataMaxAgeMs', 'milliseconds'],
  'producer.transaction.timeout.ms': ['producer', 'transactionTimeoutMs', 'milliseconds'],
  'admin.request.timeout.ms': ['admin', 'requestTimeoutMs', 'milliseconds'],
  'admin.socket.connection.setup.timeout.ms': ['admin', 'connectionTimeoutMs', 'milliseconds'],
  'admin.retries': ['admin', 'retries', 'count'],
};

const SASL_PROPERTIES = ['sasl.mechanism', 'sasl.jaas.config', 'sasl.username', 'sasl.password'] as const;
const KNOWN = ['bootstrap.servers', 'client.id', 'security.protocol', ...SASL_PROPERTIES, ...TLS_PROPERTIES, ...Object.keys(CLIENT_SETTINGS)];

/** Properties of Java clients that Tributary reads under a prefix, or cannot read at all. */
const HINTS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    Object.keys(CLIENT_SETTINGS)
      .filter((key) => /^(consumer|producer|admin)\./.test(key))
      .map((key) => [key.replace(/^\w+\./, ''), `client settings take Kafka Streams' prefixes here: write '${key}'`]),
  ),
  'metadata.max.age.ms': "client settings take Kafka Streams' prefixes here: write 'consumer.metadata.max.age.ms' or 'producer.metadata.max.age.ms'",
  'sasl.kerberos.service.name': 'KafkaJS does not support Kerberos (GSSAPI)',
  'sasl.login.callback.handler.class': "Tributary cannot load Java classes; for OAUTHBEARER, pass sasl: { mechanism: 'oauthbearer', oauthBearerProvider } in code",
  'sasl.client.callback.handler.class': "Tributary cannot load Java classes; for AWS_MSK_IAM, pass sasl: { mechanism: 'aws', ... } in code",
  'ssl.protocol': "Node's TLS negotiates the version (TLS 1.2 or 1.3) itself: remove it",
  'ssl.enabled.protocols': "Node's TLS negotiates the version (TLS 1.2 or 1.3) itself: remove it",
};

const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];

/**
 * Brokers, client id and connection options from settings; a later setting of a key wins
 * (the environment's over a file's). Every problem names where the setting was given.
 */
export function clientPropertiesFrom(properties: readonly ClientProperty[]): ClientProperties {
  const byKey = new Map<string, ClientProperty>();
  for (const property of properties) byKey.set(property.key, property);
  const get = (key: string) => byKey.get(key);
  // An unusable mechanism first: its files hold Java-only properties an "unknown" error would name instead.
  const mechanism = get('sasl.mechanism');
  if (mechanism) unsupportedMechanism(mechanism);
  for (const property of byKey.values()) rejectUnknown(property);

  const protocolSetting = get('security.protocol');
  const protocol = protocolSetting?.value.toUpperCase() ?? 'PLAINTEXT';
  if (!PROTOCOLS.includes(protocol)) throw error(protocolSetting!, `security.protocol must be one of ${PROTOCOLS.join(', ')}; got '${protocolSetting!.value}'`);
  const protocolName = `security.protocol ${protocol}${protocolSetting ? '' : ' (the default)'}`;
  const connection: ConnectionOptions = {};
  if (protocol.startsWith('SASL_')) connection.sasl = saslFromProperties(get, protocolSetting!);
  else rejectUnused(byKey, SASL_PROPERTIES, `${protocolName} does not log in with SASL: set security.protocol=SASL_SSL (or SASL_PLAINTEXT), or remove it`);
  if (protocol === 'SSL' || protocol === 'SASL_SSL') connection.ssl = tlsFromProperties(get);
  else rejectUnused(byKey, TLS_PROPERTIES, `${protocolName} does not use TLS: set security.protocol=SSL (or SASL_SSL), or remove it`);
  for (const [key, [client, field, kind]] of Object.entries(CLIENT_SETTINGS)) {
    const property = get(key);
    if (!property) continue;
    const target = (client === '' ? connection : (connection[client] ??= {})) as Record<string, unknown>;
    target[field] = settingValue(property, kind);
  }

  const result: ClientProperties = { connection };
  const servers = get('bootstrap.servers');
  if (servers) {
    try {
      result.brokers = parseBrokers(servers.value.split(',').map((s) => s.trim().replace(/^[A-Za-z_]+:\/\//, '')));
    } catch (cause) {
      throw new StreamsError(`${servers.where}: bootstrap.servers: ${(cause as Error).message}`, { cause });
    }
  }
  const clientId = get('client.id');
  if (clientId?.value) result.clientId = clientId.value;
  return result;
}

function unsupportedMechanism(mechanism: ClientProperty): void {
  switch (mechanism.value.toUpperCase()) {
    case 'GSSAPI':
      throw error(mechanism, 'sasl.mechanism GSSAPI (Kerberos) is not supported by KafkaJS: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 if the cluster enables one');
    case 'OAUTHBEARER':
      throw error(mechanism, "sasl.mechanism OAUTHBEARER needs a token provider, which a properties file cannot give: pass sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: token }) } in code");
    case 'AWS_MSK_IAM':
      throw error(mechanism, "sasl.mechanism AWS_MSK_IAM is not read from properties: pass sasl: { mechanism: 'aws', authorizationIdentity, accessKeyId, secretAccessKey, sessionToken } in code");
  }
}

/** An unknown key is named with its closest known one; a line that is no `name=value` is not quoted (it may be a password). */
function rejectUnknown(property: ClientProperty): void {
  if (KNOWN.includes(property.key)) return;
  if (!/^[A-Za-z][\w-]*(\.[\w-]+)+$/.test(property.key)) {
    throw error(property, "this line is not a Kafka property (name=value, with a dotted name such as 'sasl.mechanism'); is it the rest of a value whose line lacks the continuing backslash?");
  }
  rejectUnknownOptions({ [property.key]: true }, KNOWN, property.where, HINTS);
}

function rejectUnused(byKey: ReadonlyMap<string, ClientProperty>, keys: readonly string[], reason: string): void {
  for (const key of keys) {
    const property = byKey.get(key);
    if (property) throw error(property, `${key} is set, but ${reason}`);
  }
}

const MECHANISMS: Readonly<Record<string, SaslPasswordOptions['mechanism']>> = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' };

/** User name and password: librdkafka's `sasl.username` and `sasl.password` win over `sasl.jaas.config`. */
function saslFromProperties(get: (key: string) => ClientProperty | undefined, protocol: ClientProperty): SaslPasswordOptions {
  const mechanismSetting = get('sasl.mechanism');
  if (!mechanismSetting) {
    throw error(protocol, `security.protocol ${protocol.value} without sasl.mechanism means GSSAPI (Kerberos) in Kafka, which KafkaJS does not support: set sasl.mechanism to PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`);
  }
  const mechanism = MECHANISMS[mechanismSetting.value.toUpperCase()];
  if (!mechanism) throw error(mechanismSetting, `sasl.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; got '${mechanismSetting.value}'`);
  const jaas = get('sasl.jaas.config');
  const login = jaas ? jaasCredentials(jaas) : {};
  const username = get('sasl.username')?.value || login.username;
  const password = get('sasl.password')?.value || login.password;
  if (!username || !password) {
    const module = mechanism === 'plain' ? 'plain.PlainLoginModule' : 'scram.ScramLoginModule';
    throw error(
      mechanismSetting,
      `sasl.mechanism ${mechanismSetting.value} needs a user name and a password: sasl.jaas.config=org.apache.kafka.common.security.${module} required username="..." password="..."; ` +
        `(or sasl.username and sasl.password)${!username && password ? '; the user name is missing' : !password && username ? '; the password is missing' : ''}`,
    );
  }
  return { mechanism, username, password };
}

function jaasCredentials(jaas: ClientProperty): { username?: string; password?: string } {
  let login;
  try {
    login = parseJaasConfig(jaas.value);
  } catch (cause) {
    throw error(jaas, `sasl.jaas.config cannot be read: ${(cause as Error).message}`);
  }
  const className = login.module.split('.').pop()!;
  if (className === 'OAuthBearerLoginModule') throw error(jaas, "sasl.jaas.config: OAUTHBEARER needs a token provider: pass sasl: { mechanism: 'oauthbearer', oauthBearerProvider } in code");
  if (className === 'IAMLoginModule') throw error(jaas, "sasl.jaas.config: AWS IAM logins are not read from properties: pass sasl: { mechanism: 'aws', ... } in code");
  if (className === 'Krb5LoginModule') throw error(jaas, 'sasl.jaas.config: KafkaJS does not support Kerberos (GSSAPI)');
  if (className !== 'PlainLoginModule' && className !== 'ScramLoginModule') {
    throw error(jaas, `sasl.jaas.config: the login module must be PlainLoginModule or ScramLoginModule${login.module.includes('.') ? `, not ${login.module}` : ''}`);
  }
  for (const name of login.options.keys()) {
    if (name === 'tokenauth') throw error(jaas, 'sasl.jaas.config: delegation tokens (tokenauth) are not supported by KafkaJS');
    if (name !== 'username' && name !== 'password') throw error(jaas, `sasl.jaas.config: option '${name}' is not supported (KafkaJS logs in with username and password only)`);
  }
  return { username: login.options.get('username'), password: login.options.get('password') };
}

function settingValue(property: ClientProperty, kind: SettingKind): unknown {
  const { key, value } = property;
  switch (kind) {
    case 'rack':
      if (value === '') throw error(property, `${key} must not be empty`);
      return value;
    case 'compression': {
      const compression = value.toLowerCase();
      if (compression !== 'none' && compression !== 'gzip') throw error(property, `${key} must be none or gzip (KafkaJS has no built-in snappy, lz4 or zstd); got '${value}'`);
      return compression;
    }
    default: {
      const n = /^\d+$/.test(value) ? Number(value) : NaN;
      const least = kind === 'count' ? 0 : 1;
      if (!Number.isSafeInteger(n) || n < least) throw error(property, `${key} must be an integer of at least ${least}${kind === 'count' ? '' : ` (${kind})`}; got '${value}'`);
      return n;
    }
  }
}

function error(property: ClientProperty, message: string): StreamsError {
  return new StreamsError(`${property.where}: ${message}`);
}
