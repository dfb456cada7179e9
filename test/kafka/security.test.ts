// KafkaStreams on the SASL_SSL listener of tools/kafka (`start.sh --sasl-ssl`): a topology
// with every kind of client runs end to end with the right credentials; each wrong setting
// fails start() at once with what to change; no output ever shows the password.
import { inspect } from 'node:util';
import { StreamsBuilder, type Logger } from '@tributary/core';
import { KafkaStreams, type KafkaStreamsOptions, type SaslOptions } from '@tributary/kafka';
import { lastValueFrom, takeUntil, toArray, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { brokers, createTopic, produce, saslSslListener, uniqueName } from '../harness';
import { readJson, testOptions, waitForState } from './support';

const listener = saslSslListener();
const CONNECTION_TIMEOUT_MS = 3_000;

/** Every line logged, with its fields, as text: what an operator's log would hold. */
function recordingLogger(): Logger & { readonly text: () => string } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, extra?: Record<string, unknown>) => lines.push(`${level} ${message} ${inspect(extra, { depth: 10 })}`);
  return { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error'), text: () => lines.join('\n') };
}

function secured(overrides: Partial<KafkaStreamsOptions> = {}): KafkaStreamsOptions {
  return testOptions({
    brokers: listener.brokers,
    ssl: { ca: listener.ca },
    sasl: { mechanism: 'scram-sha-512', username: listener.username, password: listener.password },
    connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
    ...overrides,
  });
}

/** A count per customer (a changelogged store), joined with a global table of tiers. */
function countingTopology(input: string, tiers: string, output: string) {
  const builder = new StreamsBuilder();
  const tierTable = builder.globalTable<string, { tier: string }>(tiers, { name: `${tiers}-store` });
  builder
    .stream<string, { customer: string }>(input)
    .groupByKey()
    .count({ name: `${input}-counts` })
    .toStream()
    .join(tierTable, (customer) => customer, (count, tier) => ({ count, tier: tier.tier }))
    .to(output);
  return builder.build();
}

/** start() of an application whose options are wrong: the error, how long it took, and everything it said. */
async function failedStart(overrides: Partial<KafkaStreamsOptions>) {
  const logger = recordingLogger();
  const builder = new StreamsBuilder();
  builder.stream(uniqueName('never-read')).to(uniqueName('never-written'));
  const app = new KafkaStreams(builder.build(), secured({ logger, ...overrides }));
  const events = lastValueFrom(app.events.pipe(takeUntil(timer(15_000)), toArray()));
  const started = Date.now();
  const error = await app.start().then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  const elapsedMs = Date.now() - started;
  await app.close();
  const everything = [String(error), error?.stack, inspect(error, { depth: 10 }), logger.text(), inspect(await events, { depth: 10 }), inspect(app, { depth: 10 })].join('\n');
  return { error, elapsedMs, everything, state: app.state };
}

describe('KafkaStreams on a SASL_SSL listener', () => {
  for (const exactlyOnce of [false, true]) {
    it(`runs a topology end to end with SCRAM-SHA-512 over TLS: group consumer, producers, restore and global readers${exactlyOnce ? ' (exactly-once)' : ''}`, async () => {
      const input = uniqueName('secure-in');
      const tiers = uniqueName('secure-tiers');
      const output = uniqueName('secure-out');
      await Promise.all([createTopic(input, 2), createTopic(tiers, 1), createTopic(output, 2)]);
      await produce(tiers, ['ann', 'bob'].map((c, i) => ({ key: c, value: JSON.stringify({ tier: i === 0 ? 'gold' : 'silver' }) })));
      await produce(input, Array.from({ length: 40 }, (_, i) => ({ key: i % 2 ? 'ann' : 'bob', value: JSON.stringify({ customer: i % 2 ? 'ann' : 'bob' }) })));
      const logger = recordingLogger();
      const applicationId = uniqueName('secure-app');
      const options = secured({ applicationId, logger, processingGuarantee: exactlyOnce ? 'exactly_once' : 'at_least_once' });
      {
        await using app = new KafkaStreams(countingTopology(input, tiers, output), options);
        await app.start();
        await waitForState(app, 'RUNNING');
        // An independent consumer on the plaintext listener sees every count.
        const out = await readJson<{ count: number; tier: string }>(output, 40);
        expect(Math.max(...out.filter((m) => m.text === 'ann').map((m) => m.json.count))).toBe(20);
        expect(out.find((m) => m.text === 'ann')!.json.tier).toBe('gold');
        expect(JSON.stringify(app.metrics())).not.toContain(listener.password);
        expect(inspect(app, { depth: 10 })).not.toContain(listener.password);
      }
      // A second run restores the counts from the changelog over SASL_SSL and counts on.
      await produce(input, [{ key: 'ann', value: JSON.stringify({ customer: 'ann' }) }]);
      {
        await using app = new KafkaStreams(countingTopology(input, tiers, output), options);
        await app.start();
        const out = await readJson<{ count: number; tier: string }>(output, 41);
        expect(out.map((m) => m.json.count)).toContain(21);
      }
      expect(logger.text()).not.toContain(listener.password);
    });
  }

  const otherMechanisms: [string, () => SaslOptions][] = [
    ['SCRAM-SHA-256', () => ({ mechanism: 'scram-sha-256', username: listener.username, password: listener.password })],
    ['PLAIN', () => ({ mechanism: 'plain', username: listener.username, password: listener.password })],
    ['OAUTHBEARER', () => ({ mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: unsignedToken(listener.username) }) })],
  ];
  for (const [mechanism, sasl] of otherMechanisms) {
    it(`logs in with ${mechanism} and processes records`, async () => {
      expect(listener.mechanisms).toContain(mechanism);
      const input = uniqueName('mech-in');
      const output = uniqueName('mech-out');
      await Promise.all([createTopic(input, 1), createTopic(output, 1)]);
      await produce(input, [{ key: 'k', value: JSON.stringify({ n: 1 }) }]);
      const builder = new StreamsBuilder();
      builder.stream(input).to(output);
      await using app = new KafkaStreams(builder.build(), secured({ sasl: sasl() }));
      await app.start();
      expect(await readJson(output, 1)).toHaveLength(1);
    });
  }

  it('fails start() at once on a wrong password, naming the broker and the refused login', async () => {
    const wrong = `wrong-${listener.password.slice(0, 6)}-password`;
    const { error, elapsedMs, everything, state } = await failedStart({ sasl: { mechanism: 'scram-sha-512', username: listener.username, password: wrong } });
    expect(error?.message).toMatch(new RegExp(`cannot connect to Kafka at ${listener.brokers[0]!.replace(/\./g, '\\.')} \\(SASL_SSL \\(scram-sha-512 as 'tributary'\\)\\): the broker refused the SASL login`));
    expect(error?.message).toMatch(/invalid credentials/);
    expect(elapsedMs).toBeLessThan(CONNECTION_TIMEOUT_MS);
    expect(state).toBe('ERROR');
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(listener.password);
  });

  it('fails start() at once without the CA, saying the certificate is not trusted', async () => {
    const { error, elapsedMs, everything } = await failedStart({ ssl: true });
    expect(error?.message).toMatch(/cannot connect to Kafka at .*: the broker's TLS certificate is not trusted \(self-signed certificate in certificate chain\): give ssl.ca/);
    expect(elapsedMs).toBeLessThan(CONNECTION_TIMEOUT_MS);
    expect(everything).not.toContain(listener.password);
  });

  it('fails start() at once when a plaintext client meets the TLS port', async () => {
    const { error, elapsedMs } = await failedStart({ ssl: undefined, sasl: undefined });
    expect(error?.message).toMatch(/cannot connect to Kafka at .* \(PLAINTEXT\): the broker closed the connection before answering: the port may expect TLS \(set ssl\)/);
    expect(elapsedMs).toBeLessThan(CONNECTION_TIMEOUT_MS);
  });

  it('fails start() at once when TLS without SASL meets the SASL_SSL port', async () => {
    const { error, elapsedMs } = await failedStart({ sasl: undefined });
    expect(error?.message).toMatch(/\(SSL\): the broker closed the connection before answering: the listener may require a SASL login/);
    expect(elapsedMs).toBeLessThan(CONNECTION_TIMEOUT_MS);
  });

  it('fails start() at once when a TLS client meets a plaintext port', async () => {
    const { error, elapsedMs } = await failedStart({ brokers: brokers(), sasl: undefined });
    expect(error?.message).toMatch(/\(SSL\): the TLS handshake failed \(.*\): the port does not speak TLS/);
    expect(elapsedMs).toBeLessThan(CONNECTION_TIMEOUT_MS);
  });

  it('fails start() at once when a SASL login meets a plaintext port', async () => {
    const { error, elapsedMs, everything } = await failedStart({ brokers: brokers(), ssl: undefined });
    expect(error?.message).toMatch(/\(SASL_PLAINTEXT \(scram-sha-512 as 'tributary'\)\): the listener does not take a SASL login/);
    expect(elapsedMs).toBeLessThan(CONNECTION_TIMEOUT_MS);
    expect(everything).not.toContain(listener.password);
  });
});

/** A JWT with `"alg":"none"`, which the listener's unsecured OAUTHBEARER validator accepts (tests only). */
function unsignedToken(subject: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none' })}.${part({ sub: subject, iat: now, exp: now + 600 })}.`;
}
