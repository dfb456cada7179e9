import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseClientProperties, readClientProperties, ResolvedConnection, type TlsOptions } from '../src';
import { parseJaasConfig } from '../src/config/jaasConfig';
import { parseJavaProperties } from '../src/config/javaProperties';

const PASSWORD = 'pa55-w0rd-that-must-not-leak';
const CA = '-----BEGIN CERTIFICATE-----\nQ0FDQUNB\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nQ0VSVENFUlQ=\n-----END CERTIFICATE-----\n';
const INTERMEDIATE = '-----BEGIN CERTIFICATE-----\nSU5URVJNRURJQVRF\n-----END CERTIFICATE-----\n';
const { privateKey: KEY } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const { privateKey: ENCRYPTED_KEY } = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSWORD },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

/** A directory of PEM files, as a cluster's operators hand them out. */
function certificates(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-props-'));
  writeFileSync(join(dir, 'ca.pem'), CA);
  writeFileSync(join(dir, 'client.pem'), `Bag Attributes\n    friendlyName: client\n${CERT}${INTERMEDIATE}${ENCRYPTED_KEY}`);
  writeFileSync(join(dir, 'cert.pem'), CERT);
  writeFileSync(join(dir, 'key.pem'), KEY);
  writeFileSync(join(dir, 'truststore.p12'), Buffer.from([0x30, 0x82, 0x04, 0x00, 0x02, 0x01, 0x03]));
  return dir;
}

const parse = (text: string, dir = certificates()) => parseClientProperties(text, 'client.properties', dir);

/** The error `f` throws; fails the test when it throws none. */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** Every way an error could reach a log, none of which may hold a secret. */
function everything(error: Error): string {
  return [String(error), error.stack, inspect(error, { depth: 10 }), JSON.stringify(error)].join('\n');
}

describe('the Java properties syntax', () => {
  it('reads key=value, key: value and key value, skips comments and blank lines, numbers lines', () => {
    const lines = parseJavaProperties('# comment\n! also a comment\n\n  a=1\nb: 2\nc 3\nd\ne =  spaced value  \n', 'f');
    expect(lines).toEqual([
      { key: 'a', value: '1', line: 4 },
      { key: 'b', value: '2', line: 5 },
      { key: 'c', value: '3', line: 6 },
      { key: 'd', value: '', line: 7 },
      { key: 'e', value: 'spaced value  ', line: 8 },
    ]);
  });

  it('continues a line ending in an odd number of backslashes, dropping the next line’s indentation', () => {
    const lines = parseJavaProperties('a=one \\\n    two \\\n\tthree\nb=ends in a backslash\\\\\nc=x\r\nd=y\\\r\n  z', 'f');
    expect(lines).toEqual([
      { key: 'a', value: 'one two three', line: 1 },
      { key: 'b', value: 'ends in a backslash\\', line: 4 },
      { key: 'c', value: 'x', line: 5 },
      { key: 'd', value: 'yz', line: 6 },
    ]);
    // A comment line is never continued.
    expect(parseJavaProperties('# comment \\\na=1', 'f')).toEqual([{ key: 'a', value: '1', line: 2 }]);
  });

  it('unescapes keys and values: \\t \\n \\uXXXX, an escaped separator, any other character', () => {
    const [first, second] = parseJavaProperties('key\\ with\\=odd\\:chars = tab\\there\\nnew line \\u00e9t\\u00E9 \\#\\!\\q\n\\#not-a-comment=1', 'f');
    expect(first).toEqual({ key: 'key with=odd:chars', value: 'tab\there\nnew line été #!q', line: 1 });
    expect(second).toEqual({ key: '#not-a-comment', value: '1', line: 2 });
    expect(() => parseJavaProperties('\n\na=\\u00zz', 'client.properties')).toThrow('client.properties:3: malformed \\uXXXX escape');
  });
});

describe('sasl.jaas.config', () => {
  it('reads the login module, its flag and quoted or bare options with escapes', () => {
    const login = parseJaasConfig(`org.apache.kafka.common.security.scram.ScramLoginModule Required
      username="al ice" /* a comment */ password='it\\'s "quoted" \\\\ \\101'  // another
      extra=bare-value_1.2;`);
    expect(login.module).toBe('org.apache.kafka.common.security.scram.ScramLoginModule');
    expect(login.flag).toBe('required');
    expect([...login.options]).toEqual([
      ['username', 'al ice'],
      ['password', 'it\'s "quoted" \\ A'],
      ['extra', 'bare-value_1.2'],
    ]);
  });

  it('says what is wrong without quoting the text', () => {
    const cases = [
      [`PlainLoginModule required password="${PASSWORD}"`, "must end with ';'"],
      [`PlainLoginModule required password="${PASSWORD};`, 'a quoted value is not closed'],
      [`PlainLoginModule whenever password="${PASSWORD}";`, 'control flag'],
      [`PlainLoginModule required password "${PASSWORD}";`, 'expected name=value'],
      [`PlainLoginModule required password="${PASSWORD}"; ScramLoginModule required;`, 'more than one login module'],
    ] as const;
    for (const [text, message] of cases) {
      const error = thrown(() => parseJaasConfig(text));
      expect(error.message).toContain(message);
      expect(everything(error)).not.toContain(PASSWORD);
    }
  });
});

describe('parseClientProperties', () => {
  it('reads the file Kafka’s tools take for a SASL_SSL cluster, with PEM stores', () => {
    const dir = certificates();
    const { brokers, clientId, connection } = parse(
      `# a SASL_SSL client
bootstrap.servers=b1.example.com:9094, SASL_SSL://b2.example.com:9094
client.id=orders-app
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
    username="orders" \\
    password="${PASSWORD}";
ssl.truststore.type=PEM
ssl.truststore.location=ca.pem
ssl.keystore.type=PEM
ssl.keystore.location=${join(dir, 'client.pem')}
ssl.key.password=${PASSWORD}
ssl.endpoint.identification.algorithm=
`,
      dir,
    );
    expect(brokers).toEqual(['b1.example.com:9094', 'b2.example.com:9094']);
    expect(clientId).toBe('orders-app');
    expect(connection.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'orders', password: PASSWORD });
    const ssl = connection.ssl as TlsOptions;
    expect(ssl.ca).toBe(CA);
    expect(ssl.cert).toBe(CERT + INTERMEDIATE);
    expect(ssl.key).toBe(ENCRYPTED_KEY);
    expect(ssl.passphrase).toBe(PASSWORD);
    expect(ssl.verifyHostname).toBe(false);
    // What KafkaStreams makes of it.
    expect(String(new ResolvedConnection(connection))).toBe("SASL_SSL (scram-sha-512 as 'orders')");
  });

  it('maps each security protocol; SSL without stores trusts Node’s CAs', () => {
    expect(parse('').connection).toEqual({});
    expect(parse('security.protocol=plaintext').connection).toEqual({});
    expect(parse('security.protocol=SSL').connection).toEqual({ ssl: true });
    expect(parse('security.protocol=SSL\nssl.endpoint.identification.algorithm=HTTPS').connection).toEqual({ ssl: true });
    const plain = parse(`security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${PASSWORD}";`);
    expect(plain.connection).toEqual({ sasl: { mechanism: 'plain', username: 'u', password: PASSWORD } });
    const scram256 = parse(`security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-256\nsasl.username=u\nsasl.password=${PASSWORD}`);
    expect(scram256.connection).toEqual({ ssl: true, sasl: { mechanism: 'scram-sha-256', username: 'u', password: PASSWORD } });
  });

  it('takes librdkafka’s names: sasl.username and sasl.password win over the JAAS ones; ssl.ca.location, ssl.certificate.location, ssl.key.location', () => {
    const { connection } = parse(
      `security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="from-jaas" password="jaas";
sasl.password=${PASSWORD}
ssl.ca.location=ca.pem
ssl.certificate.location=cert.pem
ssl.key.location=key.pem`,
    );
    expect(connection.sasl).toEqual({ mechanism: 'plain', username: 'from-jaas', password: PASSWORD });
    expect(connection.ssl).toEqual({ ca: CA, cert: CERT, key: KEY });
  });

  it('takes PEM inline, written on one line as Kafka’s docs show, and restores its line breaks', () => {
    const oneLine = (pem: string) => pem.trim().replace(/\n/g, ' \\\n  ');
    const { connection } = parse(
      `security.protocol=SSL
ssl.truststore.type=PEM
ssl.truststore.certificates=${oneLine(CA + CA)}
ssl.keystore.type=PEM
ssl.keystore.certificate.chain=${oneLine(CERT)}
ssl.keystore.key=${oneLine(KEY)}`,
    );
    const ssl = connection.ssl as TlsOptions;
    expect(ssl.ca).toBe(CA + CA);
    expect(ssl.cert).toBe(CERT);
    expect(ssl.key).toBe(KEY);
  });

  it('maps timeouts and the consumer., producer. and admin. settings', () => {
    const { connection } = parse(`request.timeout.ms=20000
socket.connection.setup.timeout.ms=5000
consumer.fetch.min.bytes=1024
consumer.fetch.max.bytes=52428800
consumer.client.rack=eu-west-1a
consumer.metadata.max.age.ms=60000
consumer.request.timeout.ms=40000
producer.compression.type=GZIP
producer.metadata.max.age.ms=120000
producer.transaction.timeout.ms=30000
producer.request.timeout.ms=50000
admin.retries=0
admin.request.timeout.ms=10000`);
    expect(connection).toEqual({
      requestTimeoutMs: 20_000,
      connectionTimeoutMs: 5_000,
      consumer: { minBytes: 1024, maxBytes: 52_428_800, rackId: 'eu-west-1a', metadataMaxAgeMs: 60_000, requestTimeoutMs: 40_000 },
      producer: { compression: 'gzip', metadataMaxAgeMs: 120_000, transactionTimeoutMs: 30_000, requestTimeoutMs: 50_000 },
      admin: { retries: 0, requestTimeoutMs: 10_000 },
    });
    expect(() => new ResolvedConnection(connection)).not.toThrow();
    expect(() => parse('\nproducer.compression.type=zstd')).toThrow("client.properties:2: producer.compression.type must be none or gzip (KafkaJS has no built-in snappy, lz4 or zstd); got 'zstd'");
    expect(() => parse('request.timeout.ms=soon')).toThrow("client.properties:1: request.timeout.ms must be an integer of at least 1 (milliseconds); got 'soon'");
    expect(() => parse('admin.retries=-1')).toThrow('admin.retries must be an integer of at least 0');
  });

  it('reads the file and resolves certificate files against its directory', () => {
    const dir = certificates();
    mkdirSync(join(dir, 'config'));
    const file = join(dir, 'config', 'client.properties');
    writeFileSync(file, 'bootstrap.servers=127.0.0.1:9093\nsecurity.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=../ca.pem\n');
    expect(readClientProperties(file)).toEqual({ brokers: ['127.0.0.1:9093'], connection: { ssl: { ca: CA } } });
    expect(() => readClientProperties(join(dir, 'missing.properties'))).toThrow(`cannot read the client properties file '${join(dir, 'missing.properties')}': no such file`);
    writeFileSync(file, 'security.protocol=SSL\nssl.ca.location=nowhere.pem\n');
    expect(() => readClientProperties(file)).toThrow(`${file}:2: ssl.ca.location: cannot read '${join(dir, 'config', 'nowhere.pem')}' (no such file)`);
  });
});

describe('parseClientProperties errors', () => {
  it('name an unknown property, the file and the line, with the closest known name', () => {
    expect(() => parse('security.protocol=SSL\n\nsasl.mechansim=PLAIN')).toThrow(/unknown option 'sasl\.mechansim' in client\.properties:3: did you mean 'sasl\.mechanism'\?/);
    expect(() => parse('fetch.min.bytes=1')).toThrow("client.properties:1: client settings take Kafka Streams' prefixes here: write 'consumer.fetch.min.bytes'");
    expect(() => parse('ssl.protocol=TLSv1.2')).toThrow("Node's TLS negotiates the version");
  });

  it('refuse Kerberos, and say what to do for OAUTHBEARER and AWS IAM', () => {
    expect(() => parse('security.protocol=SASL_SSL')).toThrow(
      'client.properties:1: security.protocol SASL_SSL without sasl.mechanism means GSSAPI (Kerberos) in Kafka, which KafkaJS does not support: set sasl.mechanism to PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512',
    );
    expect(() => parse('security.protocol=SASL_SSL\nsasl.mechanism=GSSAPI\nsasl.kerberos.service.name=kafka')).toThrow('client.properties:2: sasl.mechanism GSSAPI (Kerberos) is not supported by KafkaJS');
    expect(() =>
      parse(
        'security.protocol=SASL_SSL\nsasl.mechanism=OAUTHBEARER\nsasl.login.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler\nsasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
      ),
    ).toThrow("client.properties:2: sasl.mechanism OAUTHBEARER needs a token provider, which a properties file cannot give: pass sasl: { mechanism: 'oauthbearer', oauthBearerProvider");
    expect(() =>
      parse('security.protocol=SASL_SSL\nsasl.mechanism=AWS_MSK_IAM\nsasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;\nsasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler'),
    ).toThrow("client.properties:2: sasl.mechanism AWS_MSK_IAM is not read from properties: pass sasl: { mechanism: 'aws'");
    expect(() => parse('security.protocol=SASL_SSL\nsasl.mechanism=DIGEST-MD5')).toThrow("sasl.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; got 'DIGEST-MD5'");
  });

  it('ask for credentials, and refuse a login module KafkaJS cannot stand in for', () => {
    expect(() => parse('security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.username=u')).toThrow(/client\.properties:2: sasl\.mechanism PLAIN needs a user name and a password: .*; the password is missing/);
    expect(() => parse('security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=com.example.CustomLoginModule required username="u" password="p";')).toThrow(
      'client.properties:3: sasl.jaas.config: the login module must be PlainLoginModule or ScramLoginModule, not com.example.CustomLoginModule',
    );
    expect(() => parse('security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-256\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p" tokenauth="true";')).toThrow(
      'delegation tokens (tokenauth) are not supported',
    );
  });

  it('refuse SASL or TLS settings the security protocol would ignore', () => {
    expect(() => parse('sasl.mechanism=PLAIN\nsasl.username=u\nsasl.password=p')).toThrow(
      'client.properties:1: sasl.mechanism is set, but security.protocol PLAINTEXT (the default) does not log in with SASL: set security.protocol=SASL_SSL (or SASL_PLAINTEXT), or remove it',
    );
    expect(() => parse('security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.username=u\nsasl.password=p\nssl.ca.location=ca.pem')).toThrow(
      'client.properties:5: ssl.ca.location is set, but security.protocol SASL_PLAINTEXT does not use TLS',
    );
    expect(() => parse('security.protocol=TLS')).toThrow("security.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL; got 'TLS'");
  });

  it('give the command that converts a JKS or PKCS12 store to PEM', () => {
    const dir = certificates();
    const truststore = thrown(() => parse('security.protocol=SSL\nssl.truststore.type=PKCS12\nssl.truststore.location=truststore.p12\nssl.truststore.password=changeit', dir));
    expect(truststore.message).toContain('client.properties:2: ssl.truststore.type is PKCS12, and KafkaJS (Node\'s TLS) reads PEM only.');
    expect(truststore.message).toContain(`keytool -exportcert -rfc -keystore ${join(dir, 'truststore.p12')} -storetype PKCS12 -alias <alias> -file ca.pem`);
    expect(truststore.message).toContain('then set ssl.truststore.type=PEM and ssl.truststore.location=ca.pem');
    expect(truststore.message).not.toContain('changeit');
    // Kafka's default store type is JKS: a binary file without a type is converted too.
    expect(() => parse('security.protocol=SSL\nssl.truststore.location=truststore.p12', dir)).toThrow(/client\.properties:2: ssl\.truststore\.location '.*truststore\.p12' is not PEM .* -storetype PKCS12/);
    const keystore = thrown(() => parse('security.protocol=SSL\nssl.keystore.type=JKS\nssl.keystore.location=keystore.jks', dir));
    expect(keystore.message).toContain(`keytool -importkeystore -srckeystore ${join(dir, 'keystore.jks')} -destkeystore keystore.p12 -deststoretype PKCS12, then openssl pkcs12 -in keystore.p12 -out client.pem`);
    expect(keystore.message).toContain('ssl.keystore.type=PEM, ssl.keystore.location=client.pem and ssl.key.password=<that pass phrase>');
  });

  it('check the PEM stores: a certificate and its key, an encrypted key’s pass phrase', () => {
    const dir = certificates();
    expect(() => parse('security.protocol=SSL\nssl.keystore.type=PEM\nssl.keystore.location=client.pem', dir)).toThrow(
      'client.properties:3: ssl.keystore.location: the private key is encrypted; give its pass phrase in ssl.key.password',
    );
    expect(() => parse('security.protocol=SSL\nssl.keystore.type=PEM\nssl.keystore.location=ca.pem', dir)).toThrow(/ssl\.keystore\.location: '.*ca\.pem' holds no PEM private key/);
    expect(() => parse('security.protocol=SSL\nssl.certificate.location=cert.pem', dir)).toThrow('ssl.certificate.location and ssl.key.location go together');
    expect(() => parse('security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=key.pem', dir)).toThrow(/holds no PEM certificate/);
    expect(() => parse(`security.protocol=SSL\nssl.key.password=${PASSWORD}`, dir)).toThrow('ssl.key.password is set but no client key is');
    expect(() => parse('security.protocol=SSL\nssl.endpoint.identification.algorithm=ldaps')).toThrow("ssl.endpoint.identification.algorithm must be https, or empty to skip the host name check; got 'ldaps'");
  });

  it('never hold a password, a key or the JAAS configuration', () => {
    const dir = certificates();
    const jaas = `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${PASSWORD}"`;
    const inlineKey = `ssl.keystore.key=${KEY.trim().replace(/\n/g, ' \\\n ')}`;
    const failures = [
      // A malformed JAAS value, a misspelt key next to it, a missing ';'.
      `security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n${jaas}`,
      `security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n${jaas};\nsasl.pasword=${PASSWORD}`,
      `security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${PASSWORD};`,
      // A continued value whose backslash is missing: the password line stands alone.
      `security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u"\n${PASSWORD};`,
      `security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u"\n  password="${PASSWORD}";`,
      // Secrets where the protocol does not use them.
      `sasl.mechanism=PLAIN\nsasl.password=${PASSWORD}`,
      `ssl.key.password=${PASSWORD}`,
      `security.protocol=SSL\nssl.key.password=${PASSWORD}`,
      `security.protocol=SSL\nssl.keystore.type=PKCS12\nssl.keystore.location=keystore.p12\nssl.keystore.password=${PASSWORD}\nssl.key.password=${PASSWORD}`,
      `security.protocol=SSL\nssl.keystore.type=PEM\n${inlineKey}`,
      `security.protocol=SSL\nssl.keystore.type=PEM\n${inlineKey}\nssl.keystore.certificate.chain=not pem`,
      `security.protocol=SSL\nssl.keystore.certificate.chain=${CERT.trim().replace(/\n/g, ' \\\n ')}\nssl.keystore.key=${PASSWORD}`,
    ];
    for (const text of failures) {
      const error = thrown(() => parse(text, dir));
      expect(error.message).toMatch(/client\.properties:\d+: /);
      const output = everything(error);
      expect(output, text).not.toContain(PASSWORD);
      expect(output, text).not.toContain('PRIVATE KEY-----\n');
      expect(output, text).not.toContain(KEY.split('\n')[1]!);
    }
  });
});
