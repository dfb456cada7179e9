// The tributary CLI on the SASL_SSL listener of tools/kafka (`start.sh --sasl-ssl`), configured
// as Kafka's tools are, with a --command-config properties file (PEM CA beside it, relative):
// it logs in and creates the topics of an example module; a wrong password is one clear line, never echoed.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, saslSslListener, uniqueName, withAdmin } from '../harness';

const listener = saslSslListener();
const bin = join(repoRoot, 'packages/cli/bin/tributary.mjs');
// The fraud example as a topology module: it reads customer_interactions and writes fraud_alerts.
const fraud = join(repoRoot, 'packages/examples/src/modules/fraud.ts');

/** A client properties file for the listener, with the CA as a PEM file beside it. */
function commandConfig(password: string, mechanism = 'SCRAM-SHA-512'): string {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-cli-sasl-'));
  copyFileSync(listener.caPath, join(dir, 'ca.pem'));
  const file = join(dir, 'client.properties');
  writeFileSync(
    file,
    [
      `bootstrap.servers=${listener.brokers.join(',')}`,
      'security.protocol=SASL_SSL',
      `sasl.mechanism=${mechanism}`,
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\',
      `    username="${listener.username}" \\`,
      `    password="${password}";`,
      'ssl.truststore.type=PEM',
      'ssl.truststore.location=ca.pem',
      '',
    ].join('\n'),
  );
  return file;
}

/** Runs the bin from another directory (so relative names must resolve against the file's). */
function tributary(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: tmpdir(), env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    child.stderr.on('data', (chunk) => (err += String(chunk)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Topics the tests created under the examples' fixed names, deleted afterwards so the broker is as it was. */
const created: string[] = [];
afterAll(async () => {
  if (created.length > 0) await withAdmin((admin) => admin.deleteTopics({ topics: created }));
});

describe('tributary on a SASL_SSL listener with --command-config', () => {
  it('says the broker refused the login, in one line, without the password, whatever the command', async () => {
    const wrong = `wrong-${listener.password.slice(0, 6)}-password`;
    const file = commandConfig(wrong);
    for (const args of [
      ['lag', '--application-id', uniqueName('app'), '--command-config', file, '--interval', '1s'],
      ['topics', 'create', fraud, '--command-config', file],
    ]) {
      const { code, out, err } = await tributary(args);
      expect(code, args.join(' ')).toBe(1);
      expect(err).toMatch(new RegExp(`^tributary \\w+: cannot connect to Kafka at ${listener.brokers[0]!.replace(/\./g, '\\.')}.* \\(SASL_SSL \\(scram-sha-512 as '${listener.username}'\\)\\): the broker refused the SASL login`));
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(out + err).not.toContain(wrong);
      expect(out + err).not.toContain(listener.password);
    }
  });

  it('logs in with the right password: lag reaches the group, topics create makes the example’s topics', async () => {
    const file = commandConfig(listener.password);
    const group = uniqueName('app');
    const lag = await tributary(['lag', '--application-id', group, '--command-config', file, '--interval', '1s']);
    expect(lag.err).toContain(`consumer group '${group}' has no committed offsets`);
    expect(lag.out + lag.err).not.toContain(listener.password);

    const before = new Set(await withAdmin((admin) => admin.listTopics()));
    // The password from the environment instead: it overrides the file's.
    const topics = await tributary(['topics', 'create', fraud, '--command-config', commandConfig('not-this-one', 'SCRAM-SHA-256'), '--partitions', '2'], { TRIBUTARY_SASL_PASSWORD: listener.password });
    for (const topic of ['customer_interactions', 'fraud_alerts']) if (!before.has(topic)) created.push(topic);
    expect(topics.err).toBe('');
    expect(topics.code).toBe(0);
    expect(topics.out).toContain(`Topics of ${fraud} on ${listener.brokers.join(',')} (SASL_SSL (scram-sha-256 as '${listener.username}')):`);
    expect(topics.out).toMatch(/(created|existed) +customer_interactions +\d+ partitions?/);
    expect(topics.out).toMatch(/fraud_alerts +\d+ partitions?/);
    expect(topics.out).not.toContain(listener.password);
    // An independent look on the plaintext listener.
    const metadata = await withAdmin((admin) => admin.fetchTopicMetadata({ topics: ['customer_interactions', 'fraud_alerts'] }));
    for (const topic of metadata.topics) if (!before.has(topic.name)) expect(topic.partitions, topic.name).toHaveLength(2);
  });
});
