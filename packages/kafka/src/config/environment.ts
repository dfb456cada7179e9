import { StreamsError } from '@tributary/core';
import { clientPropertiesFile, clientPropertiesFrom, type ClientProperties, type ClientProperty } from './clientProperties';
import { rejectUnknownOptions } from './unknownOptions';

/** Each connection variable and the client property it sets (librdkafka's names where Java has none). */
const VARIABLES: Readonly<Record<string, string>> = {
  TRIBUTARY_BROKERS: 'bootstrap.servers',
  TRIBUTARY_SECURITY_PROTOCOL: 'security.protocol',
  TRIBUTARY_SASL_MECHANISM: 'sasl.mechanism',
  TRIBUTARY_SASL_USERNAME: 'sasl.username',
  TRIBUTARY_SASL_PASSWORD: 'sasl.password',
  TRIBUTARY_SSL_CA_LOCATION: 'ssl.ca.location',
  TRIBUTARY_SSL_CERTIFICATE_LOCATION: 'ssl.certificate.location',
  TRIBUTARY_SSL_KEY_LOCATION: 'ssl.key.location',
  TRIBUTARY_SSL_KEY_PASSWORD: 'ssl.key.password',
};

const COMMAND_CONFIG = 'TRIBUTARY_COMMAND_CONFIG';
/** Variables of other parts of Tributary (`TRIBUTARY_LOG`: the integration tests' log level). */
const OTHER_VARIABLES = ['TRIBUTARY_LOG'];
const KNOWN = [...Object.keys(VARIABLES), COMMAND_CONFIG];
/** Where a variable is surely meant for the connection, so an unknown one is a typo even when it is far from every name. */
const CONNECTION_PREFIXES = ['TRIBUTARY_SSL_', 'TRIBUTARY_SASL_', 'TRIBUTARY_SECURITY_', 'TRIBUTARY_BROKER', 'TRIBUTARY_BOOTSTRAP', 'TRIBUTARY_COMMAND'];

/**
 * Brokers and connection options from the environment, for deployments configured by
 * variables (containers): `TRIBUTARY_COMMAND_CONFIG` names a Kafka client properties file
 * (see {@link parseClientProperties}), read first; each variable below then sets the
 * property beside it, replacing the file's:
 *
 * | variable | property |
 * | --- | --- |
 * | `TRIBUTARY_BROKERS` | `bootstrap.servers` |
 * | `TRIBUTARY_SECURITY_PROTOCOL` | `security.protocol` |
 * | `TRIBUTARY_SASL_MECHANISM` | `sasl.mechanism` |
 * | `TRIBUTARY_SASL_USERNAME`, `TRIBUTARY_SASL_PASSWORD` | `sasl.username`, `sasl.password` |
 * | `TRIBUTARY_SSL_CA_LOCATION` | `ssl.ca.location` (a PEM file) |
 * | `TRIBUTARY_SSL_CERTIFICATE_LOCATION`, `TRIBUTARY_SSL_KEY_LOCATION` | `ssl.certificate.location`, `ssl.key.location` |
 * | `TRIBUTARY_SSL_KEY_PASSWORD` | `ssl.key.password` |
 *
 * So the rules, and the errors, are those of a properties file; an error names the variable.
 * An empty variable counts as unset; relative file names resolve against the working
 * directory. A misspelt `TRIBUTARY_` variable (`TRIBUTARY_SASL_PASWORD`) is an error, not a
 * setting silently missing. Without any of them: no brokers, and a plaintext connection.
 *
 * ## Example
 * ```ts
 * import { KafkaStreams, connectionFromEnvironment } from '@tributary/kafka';
 *
 * const { brokers = ['127.0.0.1:9092'], connection } = connectionFromEnvironment();
 * const app = new KafkaStreams(topology, { applicationId: 'orders', brokers, ...connection });
 * ```
 *
 * @param env defaults to `process.env`.
 */
export function connectionFromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): ClientProperties {
  rejectMisspeltVariables(env);
  const properties: ClientProperty[] = [];
  const file = env[COMMAND_CONFIG];
  if (file) {
    try {
      properties.push(...clientPropertiesFile(file));
    } catch (cause) {
      throw new StreamsError(`${COMMAND_CONFIG}: ${(cause as Error).message}`, { cause });
    }
  }
  for (const [variable, key] of Object.entries(VARIABLES)) {
    const value = env[variable]?.trim();
    if (value) properties.push({ key, value, where: `environment variable ${variable} (${key})`, directory: process.cwd() });
  }
  return clientPropertiesFrom(properties);
}

function rejectMisspeltVariables(env: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(env)) {
    if (!name.startsWith('TRIBUTARY_') || KNOWN.includes(name) || OTHER_VARIABLES.includes(name)) continue;
    try {
      rejectUnknownOptions({ [name]: true }, KNOWN, 'the environment');
    } catch (error) {
      // Other TRIBUTARY_ variables may belong to other tools: only a near miss of a connection variable is an error.
      if (CONNECTION_PREFIXES.some((prefix) => name.startsWith(prefix)) || /did you mean/.test((error as Error).message)) throw error;
    }
  }
}
