import { StreamsError } from '@tributary/core';
import { rejectUnknownOptions } from './unknownOptions';

/** PEM text: the contents of a `.pem` or `.crt` file (`readFileSync(path)`), not its path. */
export type Pem = string | Buffer;

/**
 * TLS to the brokers (Kafka's `security.protocol=SSL` or `SASL_SSL`). `ssl: true` trusts
 * Node's bundled CAs, which is what hosted clusters (Confluent Cloud, MSK, Aiven) need.
 */
export interface TlsOptions {
  /** CA certificates the brokers' certificates must chain to. Defaults to Node's bundled CAs. */
  ca?: Pem | readonly Pem[];
  /** The client's certificate chain, for clusters that authenticate clients by certificate (mutual TLS). */
  cert?: Pem;
  /** The client certificate's private key. A secret: never logged. */
  key?: Pem;
  /** Decrypts `key`. A secret: never logged. */
  passphrase?: string;
  /** `false` accepts any certificate: for tests only. Defaults to `true`. */
  rejectUnauthorized?: boolean;
  /** `false` skips the host name check (Kafka's `ssl.endpoint.identification.algorithm=`). Defaults to `true`. */
  verifyHostname?: boolean;
  /** The name to verify and to send as SNI, when it differs from the broker's advertised host. */
  servername?: string;
}

/** SASL with a user name and password. */
export interface SaslPasswordOptions {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  /** A secret: never logged. */
  password: string;
}

/** SASL/OAUTHBEARER: `oauthBearerProvider` returns a fresh token (`{ value }`) whenever a connection authenticates. */
export interface SaslOAuthBearerOptions {
  mechanism: 'oauthbearer';
  oauthBearerProvider: () => Promise<{ value: string }>;
}

/** Amazon MSK's IAM authentication, as KafkaJS implements it (`AWS_MSK_IAM`). */
export interface SaslAwsIamOptions {
  mechanism: 'aws';
  authorizationIdentity: string;
  accessKeyId: string;
  /** A secret: never logged. */
  secretAccessKey: string;
  /** A secret: never logged. */
  sessionToken?: string;
}

export type SaslOptions = SaslPasswordOptions | SaslOAuthBearerOptions | SaslAwsIamOptions;

/** Settings every Kafka client takes; the top-level ones apply to all clients, a client's own override them. */
export interface CommonClientSettings {
  /** How long a TCP (and TLS) connection may take. Defaults to `3000` (`socket.connection.setup.timeout.ms`). */
  connectionTimeoutMs?: number;
  /** How long a request may wait for its answer. Defaults to `30000` (`request.timeout.ms`). */
  requestTimeoutMs?: number;
}

/** Settings of the consumers: the group's, the restore readers' and the global tables' (Kafka Streams' `consumer.` prefix). */
export interface ConsumerSettings extends CommonClientSettings {
  /** The least data a fetch answer waits for, up to `maxWaitTimeMs`. Defaults to `1` (`fetch.min.bytes`). */
  minBytes?: number;
  /** The most data one fetch answer holds. Defaults to `10485760` (`fetch.max.bytes`). */
  maxBytes?: number;
  /** The consumer's rack, for fetching from the closest replica (`client.rack`). */
  rackId?: string;
  /** How often topic metadata is refreshed. Defaults to `300000` (`metadata.max.age.ms`). */
  metadataMaxAgeMs?: number;
}

/** Settings of the producers, idempotent and transactional (Kafka Streams' `producer.` prefix). */
export interface ProducerSettings extends CommonClientSettings {
  /** Compression of record batches. Defaults to `'none'` (`compression.type`); KafkaJS has gzip built in. */
  compression?: 'none' | 'gzip';
  /** How often topic metadata is refreshed. Defaults to `300000` (`metadata.max.age.ms`). */
  metadataMaxAgeMs?: number;
  /** Exactly-once: how long a transaction may stay open before the coordinator aborts it. Defaults to `60000` (`transaction.timeout.ms`). */
  transactionTimeoutMs?: number;
}

/** Settings of the admin client, which creates and inspects topics (Kafka Streams' `admin.` prefix). */
export interface AdminSettings extends CommonClientSettings {
  /** How often a failed admin request is retried. Defaults to `3`, so a wrong address fails `start()` in seconds. */
  retries?: number;
}

/** How every client connects and authenticates, and each kind of client's own settings. */
export interface ConnectionOptions extends CommonClientSettings {
  /** TLS: `true` (Node's bundled CAs) or {@link TlsOptions}. Defaults to plaintext. */
  ssl?: boolean | TlsOptions;
  /** SASL authentication. Defaults to none. */
  sasl?: SaslOptions;
  /** How long SASL authentication may take. Defaults to `10000`. */
  authenticationTimeoutMs?: number;
  consumer?: ConsumerSettings;
  producer?: ProducerSettings;
  admin?: AdminSettings;
}

const TLS_KEYS = ['ca', 'cert', 'key', 'passphrase', 'rejectUnauthorized', 'verifyHostname', 'servername'] as const satisfies readonly (keyof TlsOptions)[];
const SASL_KEYS = {
  plain: ['mechanism', 'username', 'password'],
  'scram-sha-256': ['mechanism', 'username', 'password'],
  'scram-sha-512': ['mechanism', 'username', 'password'],
  oauthbearer: ['mechanism', 'oauthBearerProvider'],
  aws: ['mechanism', 'authorizationIdentity', 'accessKeyId', 'secretAccessKey', 'sessionToken'],
} as const;
const COMMON_KEYS = ['connectionTimeoutMs', 'requestTimeoutMs'] as const;
const CONSUMER_KEYS = [...COMMON_KEYS, 'minBytes', 'maxBytes', 'rackId', 'metadataMaxAgeMs'] as const satisfies readonly (keyof ConsumerSettings)[];
const PRODUCER_KEYS = [...COMMON_KEYS, 'compression', 'metadataMaxAgeMs', 'transactionTimeoutMs'] as const satisfies readonly (keyof ProducerSettings)[];
const ADMIN_KEYS = [...COMMON_KEYS, 'retries'] as const satisfies readonly (keyof AdminSettings)[];

/** Options of KafkaStreams that belong to the consumer: a `consumer.` copy of them would be ambiguous. */
const TOP_LEVEL_CONSUMER_OPTIONS = ['sessionTimeoutMs', 'heartbeatIntervalMs', 'rebalanceTimeoutMs', 'maxWaitTimeMs', 'maxBytesPerPartition', 'autoOffsetReset'];
const TOP_LEVEL_PRODUCER_OPTIONS = ['deliveryTimeoutMs', 'maxRequestSizeBytes'];

/** What one kind of client gets: the shared security and timeouts, then its own settings. */
export interface ClientConnection {
  readonly ssl?: boolean | TlsOptions;
  readonly sasl?: SaslOptions;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly authenticationTimeoutMs: number;
}

/**
 * Checked connection options. The TLS and SASL settings are kept in private fields, so that
 * no log line, `JSON.stringify`, `util.inspect` or error text made from an options object
 * can show a password or a key; `toString()` says what the connection is without them.
 */
export class ResolvedConnection {
  readonly #ssl: boolean | TlsOptions | undefined;
  readonly #sasl: SaslOptions | undefined;
  readonly #settings: { consumer: ConsumerSettings; producer: ProducerSettings; admin: AdminSettings };
  readonly #timeouts: { connectionTimeoutMs: number; requestTimeoutMs: number; authenticationTimeoutMs: number };

  constructor(options: ConnectionOptions = {}) {
    this.#ssl = tlsOption(options.ssl);
    this.#sasl = saslOption(options.sasl);
    this.#timeouts = {
      connectionTimeoutMs: timeout('connectionTimeoutMs', options.connectionTimeoutMs, 3_000),
      requestTimeoutMs: timeout('requestTimeoutMs', options.requestTimeoutMs, 30_000),
      authenticationTimeoutMs: timeout('authenticationTimeoutMs', options.authenticationTimeoutMs, 10_000),
    };
    this.#settings = {
      consumer: settings('consumer', options.consumer, CONSUMER_KEYS, TOP_LEVEL_CONSUMER_OPTIONS),
      producer: settings('producer', options.producer, PRODUCER_KEYS, TOP_LEVEL_PRODUCER_OPTIONS),
      admin: settings('admin', options.admin, ADMIN_KEYS, []),
    };
    const { producer, admin } = this.#settings;
    if (producer.compression !== undefined && producer.compression !== 'none' && producer.compression !== 'gzip') {
      throw new StreamsError(`producer.compression must be 'none' or 'gzip' (KafkaJS has no built-in snappy, lz4 or zstd), got '${String(producer.compression)}'`);
    }
    if (admin.retries !== undefined && (!Number.isInteger(admin.retries) || admin.retries < 0)) {
      throw new StreamsError(`admin.retries must be an integer >= 0, got ${String(admin.retries)}`);
    }
  }

  /** Whether the connection is encrypted. */
  get tls(): boolean {
    return this.#ssl !== undefined && this.#ssl !== false;
  }

  /** The SASL mechanism, if any. */
  get saslMechanism(): SaslOptions['mechanism'] | undefined {
    return this.#sasl?.mechanism;
  }

  /** Kafka's name for the security protocol: `PLAINTEXT`, `SSL`, `SASL_PLAINTEXT` or `SASL_SSL`. */
  get securityProtocol(): string {
    if (this.#sasl) return this.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT';
    return this.tls ? 'SSL' : 'PLAINTEXT';
  }

  /** The security and timeouts of one kind of client. Holds secrets: hand it only to the client library. */
  forClient(kind: 'consumer' | 'producer' | 'admin'): ClientConnection {
    const own = this.#settings[kind];
    return {
      ssl: this.#ssl,
      sasl: this.#sasl,
      connectionTimeoutMs: own.connectionTimeoutMs ?? this.#timeouts.connectionTimeoutMs,
      requestTimeoutMs: own.requestTimeoutMs ?? this.#timeouts.requestTimeoutMs,
      authenticationTimeoutMs: this.#timeouts.authenticationTimeoutMs,
    };
  }

  get consumer(): Readonly<ConsumerSettings> {
    return this.#settings.consumer;
  }

  get producer(): Readonly<ProducerSettings> {
    return this.#settings.producer;
  }

  get admin(): Readonly<AdminSettings> {
    return this.#settings.admin;
  }

  /** Whether any TLS, SASL or client setting differs from the defaults (they only reach the built-in KafkaJS client). */
  get customized(): boolean {
    const { consumer, producer, admin } = this.#settings;
    return this.#ssl !== undefined || this.#sasl !== undefined || Object.keys(consumer).length > 0 || Object.keys(producer).length > 0 || Object.keys(admin).length > 0;
  }

  toString(): string {
    const sasl = this.#sasl;
    const user = sasl && 'username' in sasl ? ` as '${sasl.username}'` : '';
    return `${this.securityProtocol}${sasl ? ` (${sasl.mechanism}${user})` : ''}`;
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `ResolvedConnection { ${this.toString()} }`;
  }
}

function tlsOption(ssl: ConnectionOptions['ssl']): boolean | TlsOptions | undefined {
  if (ssl === undefined || typeof ssl === 'boolean') return ssl;
  if (ssl === null || typeof ssl !== 'object') throw new StreamsError(`ssl must be true, false or an object with ca, cert, key, passphrase, rejectUnauthorized, verifyHostname or servername; got ${typeof ssl}`);
  rejectUnknownOptions(ssl, TLS_KEYS, 'ssl');
  const cas = ssl.ca === undefined ? [] : Array.isArray(ssl.ca) ? ssl.ca : [ssl.ca];
  cas.forEach((ca: unknown, i: number) => pem(`ssl.ca${Array.isArray(ssl.ca) ? `[${i}]` : ''}`, ca, 'CERTIFICATE', false));
  if (ssl.cert !== undefined) pem('ssl.cert', ssl.cert, 'CERTIFICATE', false);
  if (ssl.key !== undefined) pem('ssl.key', ssl.key, 'PRIVATE KEY', true);
  if ((ssl.cert === undefined) !== (ssl.key === undefined)) throw new StreamsError('ssl.cert and ssl.key go together: a client certificate needs its private key');
  if (ssl.passphrase !== undefined && typeof ssl.passphrase !== 'string') throw new StreamsError('ssl.passphrase must be a string');
  for (const flag of ['rejectUnauthorized', 'verifyHostname'] as const) {
    if (ssl[flag] !== undefined && typeof ssl[flag] !== 'boolean') throw new StreamsError(`ssl.${flag} must be true or false, got ${typeof ssl[flag]}`);
  }
  if (ssl.servername !== undefined && (typeof ssl.servername !== 'string' || ssl.servername === '')) throw new StreamsError('ssl.servername must be a host name');
  return { ...ssl };
}

/** A PEM value or a clear error; a secret's content is never quoted. */
function pem(name: string, value: unknown, label: string, secret: boolean): void {
  if (typeof value !== 'string' && !Buffer.isBuffer(value)) throw new StreamsError(`${name} must be PEM text (a string or a Buffer), got ${typeof value}`);
  const text = value.toString('utf8');
  if (text.includes('-----BEGIN ')) return;
  const looksLikePath = !secret && text.length < 4096 && !/\s/.test(text.trim()) && /[/\\.]/.test(text);
  throw new StreamsError(
    looksLikePath
      ? `${name} must be the PEM text of the ${label.toLowerCase()}, not a file name: pass readFileSync('${text}')`
      : `${name} is not PEM text (no '-----BEGIN ${label}-----' line): pass the contents of the .pem file`,
  );
}

function saslOption(sasl: ConnectionOptions['sasl']): SaslOptions | undefined {
  if (sasl === undefined) return undefined;
  if (sasl === null || typeof sasl !== 'object') throw new StreamsError(`sasl must be an object with a mechanism, got ${sasl === null ? 'null' : typeof sasl}`);
  const mechanism = (sasl as { mechanism?: unknown }).mechanism;
  const mechanisms = Object.keys(SASL_KEYS);
  if (typeof mechanism !== 'string' || !mechanisms.includes(mechanism)) {
    const upper = typeof mechanism === 'string' && mechanisms.includes(mechanism.toLowerCase()) ? ` (write it in lower case: '${mechanism.toLowerCase()}')` : '';
    throw new StreamsError(`sasl.mechanism must be one of ${mechanisms.map((m) => `'${m}'`).join(', ')}, got ${typeof mechanism === 'string' ? `'${mechanism}'` : typeof mechanism}${upper}`);
  }
  rejectUnknownOptions(sasl, SASL_KEYS[mechanism as SaslOptions['mechanism']], `sasl (mechanism '${mechanism}')`);
  const required = (field: string) => {
    const value = (sasl as unknown as Record<string, unknown>)[field];
    if (typeof value !== 'string' || value === '') throw new StreamsError(`sasl.${field} is required for mechanism '${mechanism}' and must be a non-empty string`);
  };
  switch (sasl.mechanism) {
    case 'oauthbearer':
      if (typeof sasl.oauthBearerProvider !== 'function') throw new StreamsError("sasl.oauthBearerProvider is required for mechanism 'oauthbearer': a function returning Promise<{ value: token }>");
      break;
    case 'aws':
      ['authorizationIdentity', 'accessKeyId', 'secretAccessKey'].forEach(required);
      if (sasl.sessionToken !== undefined) required('sessionToken');
      break;
    default:
      ['username', 'password'].forEach(required);
  }
  return { ...sasl };
}

function settings<T extends object>(kind: string, value: T | undefined, keys: readonly string[], topLevel: readonly string[]): T {
  if (value === undefined) return {} as T;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new StreamsError(`${kind} must be an object of ${kind} settings, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  const hints = Object.fromEntries(topLevel.map((name) => [name, `'${name}' is an option of KafkaStreams itself; set it at the top level`]));
  rejectUnknownOptions(value, keys, kind, hints);
  const copy = { ...value } as Record<string, unknown>;
  for (const [key, setting] of Object.entries(copy)) {
    if (setting === undefined) delete copy[key];
    else if (key.endsWith('Ms') || key.endsWith('Bytes')) {
      if (typeof setting !== 'number' || !Number.isFinite(setting) || setting <= 0) throw new StreamsError(`${kind}.${key} must be a positive number, got ${String(setting)}`);
    } else if (key === 'rackId' && (typeof setting !== 'string' || setting === '')) throw new StreamsError(`${kind}.rackId must be a non-empty string`);
  }
  return copy as T;
}

function timeout(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new StreamsError(`${name} must be a positive number of milliseconds, got ${String(value)}`);
  return value;
}
