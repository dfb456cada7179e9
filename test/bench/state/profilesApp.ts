// The profiles application in a process of its own, for the restart benchmark to kill with
// SIGKILL. Env: KAFKA_BROKERS, APP_ID, INPUT, OUTPUT, STATE_DIR (LMDB stores there).
import { silentLogger } from '@tributary/core';
import { KafkaStreams } from '@tributary/kafka';
import { profilesTopology } from './profilesTopology';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const app = new KafkaStreams(profilesTopology(env('INPUT'), env('OUTPUT')), {
  applicationId: env('APP_ID'),
  brokers: env('KAFKA_BROKERS').split(','),
  stateDir: env('STATE_DIR'),
  logger: silentLogger,
  metricsIntervalMs: 0,
  handleSignals: false,
  sessionTimeoutMs: 6_000,
});
await app.start();
