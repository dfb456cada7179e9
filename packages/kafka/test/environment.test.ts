import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { connectionFromEnvironment } from '../src';

const PASSWORD = 'env-pa55-w0rd-that-must-not-leak';
const CA = '-----BEGIN CERTIFICATE-----\nQ0FDQUNB\n-----END CERTIFICATE-----\n';
const OTHER_CA = '-----BEGIN CERTIFICATE-----\nT1RIRVI=\n-----END CERTIFICATE-----\n';

/** A properties file as Kafka's tools take it, with a PKCS12 truststore, and a PEM CA beside it. */
function directory(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-env-'));
  writeFileSync(join(dir, 'ca.pem'), CA);
  writeFileSync(join(dir, 'other-ca.pem'), OTHER_CA);
  const file = join(dir, 'client.properties');
  writeFileSync(
    file,
    [
      'bootstrap.servers=file-broker:9094',
      'security.protocol=SASL_SSL',
      'sasl.mechanism=SCRAM-SHA-512',
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="from-file" password="file-password";',
      'ssl.truststore.type=PEM',
      'ssl.truststore.location=ca.pem',
    ].join('\n'),
  );
  return { dir, file };
}

describe('connectionFromEnvironment', () => {
  it('is empty without variables, and ignores the TRIBUTARY_ variables of other tools', () => {
    expect(connectionFromEnvironment({})).toEqual({ connection: {} });
    expect(connectionFromEnvironment({ TRIBUTARY_LOG: 'debug', TRIBUTARY_HOME: '/opt', PATH: '/bin' })).toEqual({ connection: {} });
  });

  it('maps every variable to its property', () => {
    const { dir } = directory();
    const key = join(dir, 'key.pem');
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nS0VZ\n-----END PRIVATE KEY-----\n');
    const settings = connectionFromEnvironment({
      TRIBUTARY_BROKERS: 'b1:9094,b2:9094',
      TRIBUTARY_SECURITY_PROTOCOL: 'SASL_SSL',
      TRIBUTARY_SASL_MECHANISM: 'SCRAM-SHA-256',
      TRIBUTARY_SASL_USERNAME: 'alice',
      TRIBUTARY_SASL_PASSWORD: PASSWORD,
      TRIBUTARY_SSL_CA_LOCATION: join(dir, 'ca.pem'),
      TRIBUTARY_SSL_CERTIFICATE_LOCATION: join(dir, 'ca.pem'),
      TRIBUTARY_SSL_KEY_LOCATION: key,
      TRIBUTARY_SSL_KEY_PASSWORD: PASSWORD,
    });
    expect(settings.brokers).toEqual(['b1:9094', 'b2:9094']);
    expect(settings.connection.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'alice', password: PASSWORD });
    expect(settings.connection.ssl).toMatchObject({ ca: CA, cert: CA, passphrase: PASSWORD });
  });

  it('reads TRIBUTARY_COMMAND_CONFIG first; the other variables override its properties', () => {
    const { dir, file } = directory();
    expect(connectionFromEnvironment({ TRIBUTARY_COMMAND_CONFIG: file })).toEqual({
      brokers: ['file-broker:9094'],
      connection: { sasl: { mechanism: 'scram-sha-512', username: 'from-file', password: 'file-password' }, ssl: { ca: CA } },
    });
    const overridden = connectionFromEnvironment({
      TRIBUTARY_COMMAND_CONFIG: file,
      TRIBUTARY_BROKERS: 'env-broker:9094',
      TRIBUTARY_SASL_PASSWORD: PASSWORD,
      TRIBUTARY_SSL_CA_LOCATION: join(dir, 'other-ca.pem'),
      TRIBUTARY_SASL_USERNAME: '',
    });
    expect(overridden).toEqual({
      brokers: ['env-broker:9094'],
      connection: { sasl: { mechanism: 'scram-sha-512', username: 'from-file', password: PASSWORD }, ssl: { ca: OTHER_CA } },
    });
  });

  it('lets a PEM CA in the environment stand in for the file’s PKCS12 truststore', () => {
    const { dir, file } = directory();
    writeFileSync(file, 'bootstrap.servers=b:9094\nsecurity.protocol=SSL\nssl.truststore.type=PKCS12\nssl.truststore.location=truststore.p12\nssl.truststore.password=changeit\n');
    expect(() => connectionFromEnvironment({ TRIBUTARY_COMMAND_CONFIG: file })).toThrow(`${file}:3: ssl.truststore.type is PKCS12`);
    expect(connectionFromEnvironment({ TRIBUTARY_COMMAND_CONFIG: file, TRIBUTARY_SSL_CA_LOCATION: join(dir, 'ca.pem') }).connection).toEqual({ ssl: { ca: CA } });
  });

  it('names the variable in errors, and never its secret', () => {
    const error = (() => {
      try {
        connectionFromEnvironment({ TRIBUTARY_SASL_MECHANISM: 'PLAIN', TRIBUTARY_SASL_USERNAME: 'u', TRIBUTARY_SASL_PASSWORD: PASSWORD });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected an error');
    })();
    expect(error.message).toBe(
      'environment variable TRIBUTARY_SASL_MECHANISM (sasl.mechanism): sasl.mechanism is set, but security.protocol PLAINTEXT (the default) does not log in with SASL: set security.protocol=SASL_SSL (or SASL_PLAINTEXT), or remove it',
    );
    expect([String(error), error.stack, inspect(error)].join('\n')).not.toContain(PASSWORD);
    expect(() => connectionFromEnvironment({ TRIBUTARY_SECURITY_PROTOCOL: 'SASL_SSL' })).toThrow(
      'environment variable TRIBUTARY_SECURITY_PROTOCOL (security.protocol): security.protocol SASL_SSL without sasl.mechanism means GSSAPI (Kerberos)',
    );
    expect(() => connectionFromEnvironment({ TRIBUTARY_BROKERS: 'localhost' })).toThrow("environment variable TRIBUTARY_BROKERS (bootstrap.servers): bootstrap.servers: invalid broker address 'localhost'");
    expect(() => connectionFromEnvironment({ TRIBUTARY_COMMAND_CONFIG: '/nonexistent/client.properties' })).toThrow(
      "TRIBUTARY_COMMAND_CONFIG: cannot read the client properties file '/nonexistent/client.properties': no such file",
    );
  });

  it('rejects a misspelt connection variable, with the name it meant', () => {
    expect(() => connectionFromEnvironment({ TRIBUTARY_SASL_PASWORD: PASSWORD })).toThrow("unknown option 'TRIBUTARY_SASL_PASWORD' in the environment: did you mean 'TRIBUTARY_SASL_PASSWORD'?");
    expect(() => connectionFromEnvironment({ TRIBUTARY_BROKER: 'b:9092' })).toThrow("did you mean 'TRIBUTARY_BROKERS'?");
    expect(() => connectionFromEnvironment({ TRIBUTARY_SSL_TRUSTSTORE_LOCATION: 'x' })).toThrow("unknown option 'TRIBUTARY_SSL_TRUSTSTORE_LOCATION' in the environment");
    expect(() => connectionFromEnvironment({ TRIBUTARY_SAL_USERNAME: 'u' })).toThrow("did you mean 'TRIBUTARY_SASL_USERNAME'?");
  });
});
