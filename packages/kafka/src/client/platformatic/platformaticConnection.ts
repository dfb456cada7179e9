import type { BaseOptions, SASLOptions } from '@platformatic/kafka';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
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
    options: {
      ...rest,
      ...(ca === undefined ? {} : { ca: Array.isArray(ca) ? [...ca] : [ca as string | Buffer] }),
      ...(verifyHostname === false ? { checkServerIdentity: () => undefined } : {}),
      ...(servername === undefined ? {} : { servername }),
    },
    ...(servername === undefined ? {} : { servername }),
  };
}

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
