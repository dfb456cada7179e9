import type { BaseOptions, SASLOptions } from '@platformatic/kafka';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { inspect } from 'node:util';
import type { ClientConnection, TlsOptions } from '../../config/ConnectionOptions';

/** Kafka's mechanism names, as the client spells them. */
const MECHANISMS = { plain: 'PLAIN', 'scram-sha-256': 'SCRAM-SHA-256', 'scram-sha-512': 'SCRAM-SHA-512', oauthbearer: 'OAUTHBEARER' } as const;

/**
 * The connection part of a client's options: brokers, TLS, SASL and timeouts. `retries`
 * and `retryDelay` are the client's own attempts at one request (a broker restart must fit
 * in them); AWS IAM (`mechanism: 'aws'`) has no counterpart in this client and fails here.
 */
export function platformaticConnection(
  brokers: readonly string[],
  clientId: string,
  connection: ClientConnection,
  retries: { retries: number; retryDelayMs: number },
): BaseOptions {
  const options: BaseOptions = {
    clientId,
    bootstrapBrokers: [...brokers],
    connectTimeout: connection.connectionTimeoutMs,
    requestTimeout: connection.requestTimeoutMs,
    timeout: connection.requestTimeoutMs,
    retries: retries.retries,
    retryDelay: retries.retryDelayMs,
    autocreateTopics: false,
  };
  const tls = platformaticTls(connection.ssl);
  if (tls) {
    options.tls = tls.options;
    if (tls.servername !== undefined) options.tlsServerName = tls.servername;
  }
  const sasl = connection.sasl;
  if (sasl) options.sasl = platformaticSasl(sasl);
  return options;
}

function platformaticTls(ssl: boolean | TlsOptions | undefined): { options: TlsConnectionOptions; servername?: string } | undefined {
  if (ssl === undefined || ssl === false) return undefined;
  if (ssl === true) return { options: {} };
  const { ca, verifyHostname, servername, ...rest } = ssl;
  return {
    options: withSecretsHidden({
      ...rest,
      ...(ca === undefined ? {} : { ca: Array.isArray(ca) ? [...ca] : [ca as string | Buffer] }),
      ...(verifyHostname === false ? { checkServerIdentity: () => undefined } : {}),
      ...(servername === undefined ? {} : { servername }),
    }),
    ...(servername === undefined ? {} : { servername }),
  };
}

/** The TLS options that hold secrets: never shown. */
const SECRET_TLS_KEYS = new Set(['key', 'passphrase', 'pfx']);

/**
 * Node's TLS options, which `util.inspect` shows without the private key and its passphrase:
 * the client keeps its options on the client object (where inspecting an application would
 * reach them). The hiding lives on the prototype, so the copy the client spreads into
 * `tls.connect()` is a plain object with every field.
 */
function withSecretsHidden(options: TlsConnectionOptions): TlsConnectionOptions {
  return Object.assign(Object.create(SECRETS_HIDDEN) as TlsConnectionOptions, options);
}

const SECRETS_HIDDEN = {
  [inspect.custom](this: TlsConnectionOptions, depth: number, inspectOptions: object, show: typeof inspect): string {
    const shown = Object.fromEntries(Object.entries(this).map(([name, value]) => [name, SECRET_TLS_KEYS.has(name) ? '[hidden]' : value]));
    return `TlsOptions ${show(shown, { ...inspectOptions, depth })}`;
  },
  toJSON(this: TlsConnectionOptions): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this).filter(([name]) => !SECRET_TLS_KEYS.has(name)));
  },
};

function platformaticSasl(sasl: NonNullable<ClientConnection['sasl']>): SASLOptions {
  switch (sasl.mechanism) {
    case 'oauthbearer':
      return { mechanism: MECHANISMS.oauthbearer, token: async () => (await sasl.oauthBearerProvider()).value };
    case 'aws':
      throw new Error("sasl mechanism 'aws' (MSK IAM) is not supported by the @platformatic/kafka client: use the KafkaJS client (client: 'kafkajs')");
    default:
      // As a function: the client keeps its options on the client object, where util.inspect would show a string.
      return { mechanism: MECHANISMS[sasl.mechanism], username: sasl.username, password: () => sasl.password };
  }
}
