import { inspect } from 'node:util';
import { StreamsBuilder } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { KafkaStreams, type KafkaStreamsOptions } from '../src';
import { kafkaJsConnection } from '../src/client/kafkajs/kafkaJsConnection';
import { ResolvedConnection, type ConnectionOptions } from '../src/config/ConnectionOptions';
import { FakeKafka } from './fakes/FakeKafka';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nS3CR3T-KEY-BYTES\n-----END PRIVATE KEY-----\n';
const PASSWORD = 'pa55-w0rd-that-must-not-leak';

function topology() {
  const builder = new StreamsBuilder();
  builder.stream('in').to('out');
  return builder.build();
}

function streams(options: Partial<KafkaStreamsOptions>): KafkaStreams {
  return new KafkaStreams(topology(), { applicationId: 'app', brokers: '127.0.0.1:9092', handleSignals: false, ...options });
}

describe('connection options', () => {
  it('reach each kind of KafkaJS client: TLS, SASL, shared timeouts and the client’s own', () => {
    const connection = new ResolvedConnection({
      ssl: { ca: CA, cert: CA, key: KEY, passphrase: 'p', verifyHostname: false },
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: PASSWORD },
      connectionTimeoutMs: 5_000,
      authenticationTimeoutMs: 7_000,
      admin: { requestTimeoutMs: 1_234 },
    });
    const admin = kafkaJsConnection(connection.forClient('admin'));
    const consumer = kafkaJsConnection(connection.forClient('consumer'));
    expect(admin.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: PASSWORD });
    expect(admin).toMatchObject({ connectionTimeout: 5_000, authenticationTimeout: 7_000, requestTimeout: 1_234 });
    expect(consumer.requestTimeout).toBe(30_000);
    const tls = consumer.ssl as { ca: unknown; key: unknown; passphrase: unknown; checkServerIdentity: () => unknown };
    expect(tls.ca).toEqual([CA]);
    expect(tls.key).toBe(KEY);
    expect(tls.passphrase).toBe('p');
    expect(tls.checkServerIdentity()).toBeUndefined();
    expect(connection.securityProtocol).toBe('SASL_SSL');
  });

  it('say the security protocol in Kafka’s words', () => {
    expect(new ResolvedConnection({}).securityProtocol).toBe('PLAINTEXT');
    expect(new ResolvedConnection({ ssl: true }).securityProtocol).toBe('SSL');
    expect(new ResolvedConnection({ sasl: { mechanism: 'plain', username: 'u', password: 'p' } }).securityProtocol).toBe('SASL_PLAINTEXT');
    expect(String(new ResolvedConnection({ ssl: true, sasl: { mechanism: 'plain', username: 'ann', password: 'p' } }))).toBe("SASL_SSL (plain as 'ann')");
  });

  it('pass OAUTHBEARER token providers and AWS IAM credentials through as KafkaJS takes them', async () => {
    const oauthBearerProvider = async () => ({ value: 'token' });
    const oauth = kafkaJsConnection(new ResolvedConnection({ ssl: true, sasl: { mechanism: 'oauthbearer', oauthBearerProvider } }).forClient('producer'));
    expect(oauth.sasl).toEqual({ mechanism: 'oauthbearer', oauthBearerProvider });
    const aws = { mechanism: 'aws', authorizationIdentity: 'AIDA', accessKeyId: 'AKIA', secretAccessKey: 'secret', sessionToken: 'session' } as const;
    expect(kafkaJsConnection(new ResolvedConnection({ ssl: true, sasl: aws }).forClient('consumer')).sasl).toEqual(aws);
  });

  it('reject what is wrong by name, and typos with the name meant', () => {
    const bad: [ConnectionOptions, RegExp][] = [
      [{ sasl: { mechanism: 'SCRAM-SHA-512' as never, username: 'u', password: 'p' } }, /sasl.mechanism must be one of .*write it in lower case: 'scram-sha-512'/],
      [{ sasl: { mechanism: 'plain', username: 'u' } as never }, /sasl.password is required for mechanism 'plain'/],
      [{ sasl: { mechanism: 'plain', username: 'u', password: 'p', passwrd: 'x' } as never }, /unknown option 'passwrd' in sasl \(mechanism 'plain'\): did you mean 'password'\?/],
      [{ sasl: { mechanism: 'oauthbearer' } as never }, /sasl.oauthBearerProvider is required/],
      [{ sasl: { mechanism: 'aws', authorizationIdentity: 'a', accessKeyId: 'b' } as never }, /sasl.secretAccessKey is required/],
      [{ ssl: { ca: '/etc/kafka/ca.pem' } }, /ssl.ca must be the PEM text .* not a file name: pass readFileSync\('\/etc\/kafka\/ca.pem'\)/],
      [{ ssl: { cert: CA } }, /ssl.cert and ssl.key go together/],
      [{ ssl: { rejectUnauthorised: false } as never }, /unknown option 'rejectUnauthorised' in ssl: did you mean 'rejectUnauthorized'\?/],
      [{ consumer: { fetchMinBytes: 1 } as never }, /unknown option 'fetchMinBytes' in consumer/],
      [{ consumer: { sessionTimeoutMs: 10_000 } as never }, /'sessionTimeoutMs' is an option of KafkaStreams itself; set it at the top level/],
      [{ producer: { compression: 'zstd' } as never }, /producer.compression must be 'none' or 'gzip'/],
      [{ admin: { retries: -1 } }, /admin.retries must be an integer >= 0/],
      [{ connectionTimeoutMs: 0 }, /connectionTimeoutMs must be a positive number/],
    ];
    for (const [options, message] of bad) expect(() => new ResolvedConnection(options), JSON.stringify(Object.keys(options))).toThrow(message);
  });

  it('never quote a secret in an error, even a malformed one', () => {
    const notAKey = `${PASSWORD}-not-pem`;
    let error: unknown;
    try {
      new ResolvedConnection({ ssl: { cert: CA, key: notAKey } });
    } catch (e) {
      error = e;
    }
    expect(String(error)).toMatch(/ssl.key is not PEM text/);
    expect(`${String(error)} ${(error as Error).stack}`).not.toContain(PASSWORD);
  });

  it('keep secrets out of JSON, util.inspect and the application object', () => {
    const options = { ssl: { ca: CA, cert: CA, key: KEY }, sasl: { mechanism: 'scram-sha-256', username: 'ann', password: PASSWORD } } as const;
    const connection = new ResolvedConnection(options);
    for (const text of [JSON.stringify(connection), inspect(connection, { depth: 10, showHidden: true }), String(connection)]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('S3CR3T-KEY-BYTES');
    }
    const app = streams(options);
    const shown = inspect(app, { depth: 20, showHidden: true });
    expect(shown).toContain('SASL_SSL');
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain('S3CR3T-KEY-BYTES');
    expect(JSON.stringify(app.metrics())).not.toContain(PASSWORD);
  });
});

describe('KafkaStreams options', () => {
  it('reject an unknown option by name, with the one meant', () => {
    expect(() => streams({ sasl_mechanism: 'plain' } as never)).toThrow(/unknown option 'sasl_mechanism' in KafkaStreams options/);
    expect(() => streams({ comitIntervalMs: 100 } as never)).toThrow(/unknown option 'comitIntervalMs' in KafkaStreams options: did you mean 'commitIntervalMs'\?/);
    expect(() => streams({ ssl: true, sasl: { mechanism: 'plain', username: 'u', password: 'p' }, consumer: { minBytes: 1 } })).not.toThrow();
  });

  it('refuse connection settings beside a client of the user’s own, which would ignore them', () => {
    const kafka = new FakeKafka();
    expect(() => streams({ client: kafka, ssl: true })).toThrow(/configure the built-in KafkaJS client; a client given in `client` brings its own/);
    expect(() => streams({ client: kafka, commitIntervalMs: 10 })).not.toThrow();
  });
});
