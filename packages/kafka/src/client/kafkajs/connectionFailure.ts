import { StreamsError } from '@tributary/core';
import { EXPIRED_CERTIFICATE as EXPIRED, UNTRUSTED_CERTIFICATE as UNTRUSTED } from '../tlsCertificateCodes';

interface KafkaJsLikeError extends Error {
  readonly code?: string | number;
  readonly cause?: unknown;
  readonly retriable?: boolean;
  /** Kafka's error name on a protocol error (`ILLEGAL_SASL_STATE`: a SASL handshake on a listener that takes none). */
  readonly type?: string;
}

/**
 * Why a first connection failed, when retrying cannot help: a refused login, an untrusted
 * or mismatched certificate, a TLS client on a plaintext port or the other way round. The
 * message says what to change; it never holds a secret (KafkaJS's messages hold none).
 * `undefined` for failures worth retrying (a refused or timed-out connection).
 */
export function permanentConnectionFailure(error: unknown, tls: boolean): StreamsError | undefined {
  const top = error as KafkaJsLikeError;
  const inner = (top.cause ?? top) as KafkaJsLikeError;
  const code = inner.code ?? top.code;
  const reason = inner.message ?? String(error);
  const fail = (message: string) => new StreamsError(message, { cause: error, retriable: false });
  if (top.name === 'KafkaJSSASLAuthenticationError' || inner.name === 'KafkaJSSASLAuthenticationError') {
    return fail(`the broker refused the SASL login: ${top.message}. Check sasl.username and sasl.password (and that the mechanism is one the listener enables)`);
  }
  if (typeof code === 'string' && UNTRUSTED.has(code)) {
    return fail(`the broker's TLS certificate is not trusted (${tlsReason(reason)}): give ssl.ca the certificate of the CA that signed it`);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return fail(`the broker's TLS certificate is not for this host (${tlsReason(reason)}): connect by a name the certificate holds, or set ssl.servername`);
  }
  if (typeof code === 'string' && EXPIRED.has(code)) return fail(`the broker's TLS certificate is not valid now (${tlsReason(reason)})`);
  if (tls && (/before secure TLS connection was established|wrong version number|packet length too long/i.test(reason) || code === 'EPROTO')) {
    return fail(`the TLS handshake failed (${tlsReason(reason)}): the port does not speak TLS; remove ssl, or use the cluster's TLS (SSL or SASL_SSL) port`);
  }
  if (inner.name === 'KafkaJSConnectionClosedError' || top.name === 'KafkaJSConnectionClosedError') {
    return fail(
      tls
        ? 'the broker closed the connection before answering: the listener may require a SASL login (set sasl)'
        : 'the broker closed the connection before answering: the port may expect TLS (set ssl) or a SASL login (set sasl)',
    );
  }
  if (top.type === 'ILLEGAL_SASL_STATE' || inner.type === 'ILLEGAL_SASL_STATE') {
    return fail('the listener does not take a SASL login (it is a PLAINTEXT or SSL port): remove sasl, or use the SASL port');
  }
  return undefined;
}

function tlsReason(message: string): string {
  return message.replace(/^Connection error: /, '');
}
