import { TimeoutError } from '@platformatic/kafka';
import { StreamsError } from '@tributary/core';
import { EXPIRED_CERTIFICATE as EXPIRED, UNTRUSTED_CERTIFICATE as UNTRUSTED } from '../tlsCertificateCodes';

/** What Node says when the other end of a TLS socket does not speak TLS. */
const NOT_TLS = /before secure TLS connection was established|wrong version number|packet length too long|TLS handshake failed/i;

/** The fields of `@platformatic/kafka`'s errors (and Node's socket errors) that tell one failure from another. */
interface ClientError extends Error {
  readonly code?: string | number;
  /** The broker's error name on a protocol error (`SASL_AUTHENTICATION_FAILED`, `ILLEGAL_SASL_STATE`). */
  readonly apiId?: string;
  /** The broker's own words on a protocol error. */
  readonly serverErrorMessage?: string | null;
  /** The broker's answer on a response error (a SaslHandshake answer lists the listener's mechanisms). */
  readonly response?: { readonly mechanisms?: readonly string[] };
  readonly errors?: readonly unknown[];
}

/** What the application meant to connect with: the failures are read against it. */
export interface ConnectionIntent {
  readonly tls: boolean;
  readonly sasl: boolean;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/**
 * Why a first connection failed, when retrying cannot help: a refused login, an untrusted or
 * mismatched certificate, a TLS client on a plaintext port or the other way round. The
 * message says what to change and holds no secret (the client's errors hold none: a SCRAM
 * exchange never carries the password, and the broker's message names only the mechanism).
 * `undefined` for failures worth retrying (a refused or timed-out connection).
 */
export function permanentConnectionFailure(error: unknown, intent: ConnectionIntent): StreamsError | undefined {
  const chain = errorTree(error);
  const fail = (message: string) => new StreamsError(message, { cause: error, retriable: false });
  const withApiId = (id: string) => chain.find((e) => e.apiId === id);
  const refused = withApiId('SASL_AUTHENTICATION_FAILED');
  if (refused) {
    return fail(`the broker refused the SASL login: ${refused.serverErrorMessage ?? refused.message}. Check sasl.username and sasl.password (and that the mechanism is one the listener enables)`);
  }
  if (withApiId('UNSUPPORTED_SASL_MECHANISM')) {
    const enabled = chain.find((e) => e.response?.mechanisms)?.response?.mechanisms ?? [];
    return fail(`the broker refused the SASL login: the listener does not enable this mechanism${enabled.length > 0 ? ` (it enables ${enabled.join(', ')})` : ''}: set sasl.mechanism to one it enables`);
  }
  if (withApiId('ILLEGAL_SASL_STATE')) {
    return fail('the listener does not take a SASL login (it is a PLAINTEXT or SSL port): remove sasl, or use the SASL port');
  }
  const tlsError = (codes: Set<string>) => chain.find((e) => typeof e.code === 'string' && codes.has(e.code));
  const untrusted = tlsError(UNTRUSTED);
  if (untrusted) return fail(`the broker's TLS certificate is not trusted (${untrusted.message}): give ssl.ca the certificate of the CA that signed it`);
  const wrongHost = chain.find((e) => e.code === 'ERR_TLS_CERT_ALTNAME_INVALID');
  if (wrongHost) return fail(`the broker's TLS certificate is not for this host (${wrongHost.message}): connect by a name the certificate holds, or set ssl.servername`);
  const expired = tlsError(EXPIRED);
  if (expired) return fail(`the broker's TLS certificate is not valid now (${expired.message})`);
  if (intent.tls) {
    // The client wraps Node's socket error in its own "TLS handshake failed" error: Node's words say more.
    const notTls = chain.filter((e) => NOT_TLS.test(e.message) || e.code === 'EPROTO').at(-1);
    if (notTls) return fail(`the TLS handshake failed (${notTls.message}): the port does not speak TLS; remove ssl, or use the cluster's TLS (SSL or SASL_SSL) port`);
  } else if (chain.some((e) => e.message === 'Broker requires TLS.')) {
    // The client saw a TLS record where a Kafka response should be: the broker's alert before it hung up.
    return fail('the broker closed the connection before answering: the port may expect TLS (set ssl); it answered with a TLS record');
  }
  // A listener that wants a SASL login answers nothing without one: it hangs up on the first request.
  if (!intent.sasl && chain.length === 1 && chain[0]!.message === 'Connection closed') {
    return fail(
      intent.tls
        ? 'the broker closed the connection before answering: the listener may require a SASL login (set sasl)'
        : 'the broker closed the connection before answering: the port may expect TLS (set ssl) or a SASL login (set sasl)',
    );
  }
  return undefined;
}

/**
 * A retriable connection failure in a line: each distinct reason once (the client nests one
 * error per attempt and broker), timeouts with the option that sets them, and the number of
 * attempts. `Cannot connect to any broker. (metadata failed 4 times.)` says less than
 * `connect ECONNREFUSED 127.0.0.1:1 (4 attempts)`.
 */
export function connectionFailureReason(error: unknown, intent: ConnectionIntent): string {
  const reasons = new Set<string>();
  for (const e of errorTree(error)) {
    if (hasInner(e)) continue;
    reasons.add(leafReason(e, intent));
  }
  const attempts = /failed (\d+) times/.exec((error as Error)?.message ?? '')?.[1];
  const reason = reasons.size > 0 ? [...reasons].join('; ') : String((error as Error)?.message ?? error);
  return attempts ? `${reason} (${attempts} attempts)` : reason;
}

function leafReason(e: ClientError, intent: ConnectionIntent): string {
  // By class: the client's TimeoutError carries its network error code.
  if (e instanceof TimeoutError) {
    const address = /^Connection to (.+) timed out/.exec(e.message)?.[1];
    return address
      ? `no connection to ${address} within ${intent.connectionTimeoutMs} ms (connectionTimeoutMs)`
      : `the broker did not answer within ${intent.requestTimeoutMs} ms (requestTimeoutMs)`;
  }
  if (e.message === 'Connection closed') return 'the broker closed the connection';
  return e.message;
}

function hasInner(e: ClientError): boolean {
  return e.cause instanceof Error || (Array.isArray(e.errors) && e.errors.some((inner) => inner instanceof Error));
}

/** `error` and every error under it (its `cause` and, for the client's aggregate errors, `errors`), depth first. */
function errorTree(error: unknown): ClientError[] {
  const found: ClientError[] = [];
  const visit = (e: unknown, depth: number) => {
    if (!(e instanceof Error) || depth > 10 || found.includes(e)) return;
    found.push(e);
    const inner = (e as ClientError).errors;
    if (Array.isArray(inner)) for (const each of inner) visit(each, depth + 1);
    visit(e.cause, depth + 1);
  };
  visit(error, 0);
  return found;
}
