import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { CompressionTypes, type ConsumerConfig, type KafkaConfig, type ProducerConfig, type SASLOptions } from 'kafkajs';
import type { ClientConnection, ConsumerSettings, ProducerSettings, TlsOptions } from '../../config/ConnectionOptions';

/**
 * The connection part of a KafkaJS configuration: TLS, SASL and timeouts. Tributary's TLS
 * and SASL options have KafkaJS's shapes, except `verifyHostname` (Node's
 * `checkServerIdentity`) and a single CA (KafkaJS wants a list).
 */
export function kafkaJsConnection(connection: ClientConnection): Pick<KafkaConfig, 'ssl' | 'sasl' | 'connectionTimeout' | 'requestTimeout' | 'authenticationTimeout'> {
  return {
    ssl: kafkaJsTls(connection.ssl),
    sasl: connection.sasl as SASLOptions | undefined,
    connectionTimeout: connection.connectionTimeoutMs,
    requestTimeout: connection.requestTimeoutMs,
    authenticationTimeout: connection.authenticationTimeoutMs,
  };
}

function kafkaJsTls(ssl: boolean | TlsOptions | undefined): boolean | TlsConnectionOptions | undefined {
  if (ssl === undefined || typeof ssl === 'boolean') return ssl;
  const { ca, verifyHostname, ...rest } = ssl;
  return {
    ...rest,
    ...(ca === undefined ? {} : { ca: Array.isArray(ca) ? [...ca] : [ca] }),
    ...(verifyHostname === false ? { checkServerIdentity: () => undefined } : {}),
  };
}

/** A consumer's own settings in KafkaJS's names. */
export function kafkaJsConsumerSettings(settings: ConsumerSettings): Partial<ConsumerConfig> {
  return {
    ...(settings.minBytes === undefined ? {} : { minBytes: settings.minBytes }),
    ...(settings.maxBytes === undefined ? {} : { maxBytes: settings.maxBytes }),
    ...(settings.rackId === undefined ? {} : { rackId: settings.rackId }),
    ...(settings.metadataMaxAgeMs === undefined ? {} : { metadataMaxAge: settings.metadataMaxAgeMs }),
  };
}

/** A producer's own settings in KafkaJS's names (compression is per send, see BatchDelivery). */
export function kafkaJsProducerSettings(settings: ProducerSettings): Partial<ProducerConfig> {
  return settings.metadataMaxAgeMs === undefined ? {} : { metadataMaxAge: settings.metadataMaxAgeMs };
}

/** KafkaJS's codec number for a compression name. */
export function kafkaJsCompression(settings: ProducerSettings): CompressionTypes {
  return settings.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
}
