import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main';
import { runProgram } from '../src/testing/runProgram';

const PASSWORD = 'cli-pa55-w0rd-that-must-not-leak';
const MODULE = fileURLToPath(new URL('./fixtures/orderCounts.ts', import.meta.url));

/** Runs the CLI in-process and captures what it writes. */
const cli = (...argv: string[]) => runProgram(main, ...argv);

/** A properties file in a fresh directory. */
function propertiesFile(...lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tributary-cli-')), 'client.properties');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const SASL_PLAIN = [
  'security.protocol=SASL_PLAINTEXT',
  'sasl.mechanism=PLAIN',
  `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="ann" password="${PASSWORD}";`,
];

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('tributary topics create', () => {
  it('rejects an unknown option or a bad partition count', async () => {
    const option = await cli('topics', 'create', MODULE, '--partitons', '2');
    expect(option.code).toBe(2);
    expect(option.err).toMatch(/Unknown option '--partitons'[\s\S]*Usage: tributary topics/);
    expect((await cli('topics', 'create', MODULE, '--brokers', '127.0.0.1:9092', '--partitions', 'many')).err).toContain("--partitions must be a positive integer, got 'many'");
  });

  it('needs brokers from --brokers, the properties file or TRIBUTARY_BROKERS', async () => {
    const { code, err } = await cli('topics', 'create', MODULE);
    expect(code).toBe(2);
    expect(err).toContain('tributary topics: --brokers is required (or bootstrap.servers in --command-config, or TRIBUTARY_BROKERS)');
    const withoutServers = await cli('lag', '--application-id', 'x', '--command-config', propertiesFile('client.id=x'));
    expect(withoutServers.err).toContain('--brokers is required (or bootstrap.servers in --command-config');
  });
});

describe('--command-config and the environment', () => {
  it('says clearly that the file is missing', async () => {
    for (const argv of [
      ['lag', '--application-id', 'x', '--command-config', '/nonexistent/client.properties'],
      ['topics', 'create', MODULE, '--command-config', '/nonexistent/client.properties'],
      ['run', MODULE, '--command-config', '/nonexistent/client.properties'],
      ['reset', '--application-id', 'x', '--input-topics', 'a', '--command-config', '/nonexistent/client.properties'],
    ]) {
      const { code, err } = await cli(...argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(err).toMatch(/^tributary \w+: --command-config: no such file '\/nonexistent\/client\.properties'\n$/);
    }
    const dir = mkdtempSync(join(tmpdir(), 'tributary-cli-'));
    expect((await cli('lag', '--application-id', 'x', '--command-config', dir)).err).toContain(`--command-config: '${dir}' is not a file`);
  });

  it('names the file and line of a bad property, gives the conversion of a PKCS12 truststore, and never prints a secret', async () => {
    const misspelt = propertiesFile('bootstrap.servers=127.0.0.1:9092', ...SASL_PLAIN, `sasl.pasword=${PASSWORD}`);
    const typo = await cli('lag', '--application-id', 'x', '--command-config', misspelt);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain(`unknown option 'sasl.pasword' in ${misspelt}:5: did you mean 'sasl.password'?`);
    expect(typo.err + typo.out).not.toContain(PASSWORD);

    const pkcs12 = propertiesFile('bootstrap.servers=127.0.0.1:9094', 'security.protocol=SSL', 'ssl.truststore.type=PKCS12', 'ssl.truststore.location=truststore.p12', `ssl.truststore.password=${PASSWORD}`);
    const store = await cli('topics', 'create', MODULE, '--command-config', pkcs12);
    expect(store.code).toBe(2);
    expect(store.err).toContain(`${pkcs12}:3: ssl.truststore.type is PKCS12, and KafkaJS (Node's TLS) reads PEM only. Export the CA certificate to PEM: keytool -exportcert -rfc`);
    expect(store.err).not.toContain(PASSWORD);
    expect(store.err).not.toContain('    at ');
  });

  it('connects with the file’s settings and says what failed, naming the broker, without the password', async () => {
    const file = propertiesFile('bootstrap.servers=127.0.0.1:1', ...SASL_PLAIN);
    for (const argv of [
      ['lag', '--application-id', 'x', '--command-config', file, '--interval', '1s'],
      ['topics', 'create', MODULE, '--command-config', file],
    ]) {
      const { code, out, err } = await cli(...argv);
      expect(code, argv.join(' ')).toBe(1);
      expect(err).toMatch(/^tributary \w+: cannot (reach|connect to) Kafka at 127\.0\.0\.1:1 \(SASL_PLAINTEXT \(plain as 'ann'\)\): .*Is a broker running there\?/);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(out + err).not.toContain(PASSWORD);
    }
    // --brokers wins over the file.
    const { err } = await cli('lag', '--application-id', 'x', '--command-config', file, '--brokers', '127.0.0.1:2', '--interval', '1s');
    expect(err).toContain('Kafka at 127.0.0.1:2 (SASL_PLAINTEXT');
  }, 30_000);

  it('takes the TRIBUTARY_* variables, over the file, and rejects a misspelt one', async () => {
    vi.stubEnv('TRIBUTARY_BROKERS', '127.0.0.1:3');
    vi.stubEnv('TRIBUTARY_SECURITY_PROTOCOL', 'SASL_PLAINTEXT');
    vi.stubEnv('TRIBUTARY_SASL_MECHANISM', 'SCRAM-SHA-256');
    vi.stubEnv('TRIBUTARY_SASL_USERNAME', 'bob');
    vi.stubEnv('TRIBUTARY_SASL_PASSWORD', PASSWORD);
    const fromEnvironment = await cli('lag', '--application-id', 'x', '--interval', '1s');
    expect(fromEnvironment.err).toContain("cannot reach Kafka at 127.0.0.1:3 (SASL_PLAINTEXT (scram-sha-256 as 'bob'))");
    expect(fromEnvironment.err).not.toContain(PASSWORD);
    const file = propertiesFile('bootstrap.servers=127.0.0.1:1', ...SASL_PLAIN);
    const overridden = await cli('lag', '--application-id', 'x', '--command-config', file, '--interval', '1s');
    expect(overridden.err).toContain("Kafka at 127.0.0.1:3 (SASL_PLAINTEXT (scram-sha-256 as 'bob'))");

    vi.stubEnv('TRIBUTARY_SASL_PASWORD', PASSWORD);
    const typo = await cli('lag', '--application-id', 'x');
    expect(typo.code).toBe(2);
    expect(typo.err).toContain("unknown option 'TRIBUTARY_SASL_PASWORD' in the environment: did you mean 'TRIBUTARY_SASL_PASSWORD'?");
    expect(typo.err).not.toContain(PASSWORD);
  }, 30_000);

  it('takes the client from TRIBUTARY_CLIENT, and names the variable when it is not a client it knows', async () => {
    vi.stubEnv('TRIBUTARY_CLIENT', 'librdkafka');
    const wrong = await cli('run', MODULE, '--brokers', '127.0.0.1:3');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("TRIBUTARY_CLIENT must be 'kafkajs' or 'platformatic', got 'librdkafka'");
  }, 30_000);
});
