import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { StreamsError } from '@tributary/core';
import type { ClientProperty } from './clientProperties';
import type { TlsOptions } from './ConnectionOptions';

/** The `ssl.*` properties Tributary reads: Kafka's Java names and librdkafka's. */
export const TLS_PROPERTIES = [
  'ssl.truststore.type',
  'ssl.truststore.location',
  'ssl.truststore.certificates',
  'ssl.truststore.password',
  'ssl.ca.location',
  'ssl.keystore.type',
  'ssl.keystore.location',
  'ssl.keystore.certificate.chain',
  'ssl.keystore.key',
  'ssl.keystore.password',
  'ssl.certificate.location',
  'ssl.key.location',
  'ssl.key.password',
  'ssl.endpoint.identification.algorithm',
] as const;

type Lookup = (key: string) => ClientProperty | undefined;

/**
 * TLS options from the `ssl.*` properties, with the certificates and keys read from their
 * PEM files (relative names resolve against the properties file's directory). Node's TLS
 * reads PEM only: a JKS or PKCS12 store is an error that gives the command converting it.
 * librdkafka's `ssl.ca.location`, `ssl.certificate.location` and `ssl.key.location` win over
 * the Java `ssl.truststore.*` and `ssl.keystore.*` ones (so an environment variable can
 * replace a file's store). The store passwords are ignored: PEM files have none, and only
 * `ssl.key.password` decrypts a key. Without any of them: `true` (Node's bundled CAs).
 */
export function tlsFromProperties(get: Lookup): true | TlsOptions {
  const options: TlsOptions = {};
  const ca = trustedCertificates(get);
  if (ca !== undefined) options.ca = ca;
  const identity = clientIdentity(get);
  const keyPassword = get('ssl.key.password');
  if (identity) {
    options.cert = identity.cert;
    options.key = identity.key.pem;
    if (identity.key.encrypted && !keyPassword) throw error(identity.key.from, `${identity.key.from.key}: the private key is encrypted; give its pass phrase in ssl.key.password`);
    if (keyPassword) options.passphrase = keyPassword.value;
  } else if (keyPassword) {
    throw error(keyPassword, 'ssl.key.password is set but no client key is: give ssl.keystore.location (or ssl.keystore.key, or ssl.key.location)');
  }
  const endpoint = get('ssl.endpoint.identification.algorithm');
  if (endpoint) {
    const algorithm = endpoint.value.toLowerCase();
    if (algorithm === '') options.verifyHostname = false;
    else if (algorithm !== 'https') throw error(endpoint, `ssl.endpoint.identification.algorithm must be https, or empty to skip the host name check; got '${endpoint.value}'`);
  }
  return Object.keys(options).length === 0 ? true : options;
}

function trustedCertificates(get: Lookup): string | undefined {
  const caLocation = get('ssl.ca.location');
  if (caLocation) return certificates(readPem(caLocation), caLocation);
  const location = get('ssl.truststore.location');
  const inline = get('ssl.truststore.certificates');
  if (!location && !inline) return undefined;
  if (location && inline) throw error(inline, 'ssl.truststore.certificates and ssl.truststore.location both give the trusted certificates: keep one');
  checkStoreType(get('ssl.truststore.type'), 'truststore', location);
  if (inline) return certificates({ text: inline.value }, inline);
  const file = readPem(location!);
  if (!file.text.includes('-----BEGIN ')) throw error(location!, storeConversion('truststore', guessedType(file.path), file.path, true));
  return certificates(file, location!);
}

interface ClientIdentity {
  readonly cert: string;
  readonly key: { readonly pem: string; readonly encrypted: boolean; readonly from: ClientProperty };
}

function clientIdentity(get: Lookup): ClientIdentity | undefined {
  const certLocation = get('ssl.certificate.location');
  const keyLocation = get('ssl.key.location');
  if (certLocation || keyLocation) {
    if (!certLocation || !keyLocation) throw error((certLocation ?? keyLocation)!, 'ssl.certificate.location and ssl.key.location go together: a client certificate needs its private key');
    return { cert: certificates(readPem(certLocation), certLocation), key: privateKey(readPem(keyLocation), keyLocation) };
  }
  const location = get('ssl.keystore.location');
  const chain = get('ssl.keystore.certificate.chain');
  const key = get('ssl.keystore.key');
  if (!location && !chain && !key) return undefined;
  if (location && (chain || key)) throw error((chain ?? key)!, 'ssl.keystore.location and ssl.keystore.certificate.chain or ssl.keystore.key both give the client certificate: keep one');
  checkStoreType(get('ssl.keystore.type'), 'keystore', location);
  if (location) {
    const file = readPem(location);
    if (!file.text.includes('-----BEGIN ')) throw error(location, storeConversion('keystore', guessedType(file.path), file.path, true));
    return { cert: certificates(file, location), key: privateKey(file, location) };
  }
  if (!chain || !key) throw error((chain ?? key)!, 'ssl.keystore.certificate.chain and ssl.keystore.key go together: a client certificate needs its private key');
  return { cert: certificates({ text: chain.value }, chain), key: privateKey({ text: key.value }, key) };
}

/** Only PEM stores can be read; Kafka's default type, JKS, and PKCS12 get the command that converts them. */
function checkStoreType(type: ClientProperty | undefined, store: 'truststore' | 'keystore', location: ClientProperty | undefined): void {
  if (!type) return;
  const name = type.value.toUpperCase();
  if (name === 'PEM') return;
  if (name === 'JKS' || name === 'PKCS12') {
    throw error(type, storeConversion(store, name, location ? resolve(location.directory, location.value) : `${store}.${name === 'JKS' ? 'jks' : 'p12'}`, false));
  }
  throw error(type, `ssl.${store}.type must be PEM (JKS and PKCS12 stores must be converted to PEM for KafkaJS), got '${type.value}'`);
}

function storeConversion(store: 'truststore' | 'keystore', type: 'JKS' | 'PKCS12', path: string, untyped: boolean): string {
  const what = untyped
    ? `ssl.${store}.location '${path}' is not PEM (without ssl.${store}.type, Kafka reads it as JKS), and KafkaJS (Node's TLS) reads PEM only.`
    : `ssl.${store}.type is ${type}, and KafkaJS (Node's TLS) reads PEM only.`;
  if (store === 'truststore') {
    return (
      `${what} Export the CA certificate to PEM: keytool -exportcert -rfc -keystore ${path} -storetype ${type} -alias <alias> -file ca.pem ` +
      `(keytool -list -keystore ${path} -storetype ${type} names the alias${type === 'PKCS12' ? `; or: openssl pkcs12 -in ${path} -nokeys -out ca.pem` : ''}), ` +
      'then set ssl.truststore.type=PEM and ssl.truststore.location=ca.pem'
    );
  }
  const p12 = type === 'JKS' ? 'keystore.p12' : path;
  return (
    `${what} Convert the keystore to PEM: ` +
    (type === 'JKS' ? `keytool -importkeystore -srckeystore ${path} -destkeystore keystore.p12 -deststoretype PKCS12, then ` : '') +
    `openssl pkcs12 -in ${p12} -out client.pem (it asks for the store's password and a new pass phrase for the key), ` +
    'then set ssl.keystore.type=PEM, ssl.keystore.location=client.pem and ssl.key.password=<that pass phrase>'
  );
}

function guessedType(path: string): 'JKS' | 'PKCS12' {
  return ['.p12', '.pfx', '.pkcs12'].includes(extname(path).toLowerCase()) ? 'PKCS12' : 'JKS';
}

interface PemText {
  readonly text: string;
  /** The file it was read from; none for PEM given inline. */
  readonly path?: string;
}

function readPem(property: ClientProperty): PemText & { path: string } {
  const path = resolve(property.directory, property.value);
  try {
    return { text: readFileSync(path, 'latin1'), path };
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory' : (cause as Error).message;
    throw new StreamsError(`${property.where}: ${property.key}: cannot read '${path}' (${reason})`, { cause });
  }
}

/** Every `CERTIFICATE` block of `pem`, as one PEM text (Node takes a chain, or several CAs, that way). */
function certificates(pem: PemText, from: ClientProperty): string {
  const blocks = pemBlocks(pem.text).filter((b) => b.label === 'CERTIFICATE');
  if (blocks.length === 0) throw error(from, `${from.key}: ${pem.path ? `'${pem.path}'` : 'the value'} holds no PEM certificate (no '-----BEGIN CERTIFICATE-----' line)`);
  return blocks.map((b) => b.text).join('');
}

/** The one private key block of `pem`; its text is a secret and never part of a message. */
function privateKey(pem: PemText, from: ClientProperty): ClientIdentity['key'] {
  const blocks = pemBlocks(pem.text).filter((b) => b.label.endsWith('PRIVATE KEY'));
  const where = pem.path ? `'${pem.path}'` : 'the value';
  if (blocks.length !== 1) throw error(from, `${from.key}: ${where} holds ${blocks.length === 0 ? "no PEM private key (no '-----BEGIN PRIVATE KEY-----' line)" : 'more than one private key'}`);
  const block = blocks[0]!;
  return { pem: block.text, encrypted: block.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(block.text), from };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * The PEM blocks of a text, each on lines of its own: a PEM value written on one line of a
 * properties file (continued with backslashes, as Kafka's docs show) loses its line breaks,
 * which Node's TLS needs. Blocks with headers (legacy encrypted keys) are kept as they are.
 */
function pemBlocks(text: string): { label: string; text: string }[] {
  return [...text.matchAll(PEM_BLOCK)].map(([, label, body]) => {
    const lines = body!.includes(':') ? `\n${body!.trim()}\n` : `\n${(body!.replace(/\s+/g, '').match(/.{1,64}/g) ?? []).join('\n')}\n`;
    return { label: label!, text: `-----BEGIN ${label}-----${lines}-----END ${label}-----\n` };
  });
}

function error(property: ClientProperty, message: string): StreamsError {
  return new StreamsError(`${property.where}: ${message}`);
}
