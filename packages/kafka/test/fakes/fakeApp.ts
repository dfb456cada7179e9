import { silentLogger, StreamsBuilder } from '@tributary/core';
import { KafkaStreams, type KafkaStreamsOptions } from '../../src';
import type { FakeKafka } from './FakeKafka';

/** Polls `condition` every 5 ms; rejects naming `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A KafkaStreams on the fake client with quick test settings (20 ms commits, no signals, silent). */
export function app(kafka: FakeKafka, build: (builder: StreamsBuilder) => void, options: Partial<KafkaStreamsOptions> = {}): KafkaStreams {
  const builder = new StreamsBuilder();
  build(builder);
  return new KafkaStreams(builder.build(), {
    applicationId: 'app',
    brokers: 'fake:9092',
    client: kafka,
    logger: silentLogger,
    handleSignals: false,
    commitIntervalMs: 20,
    metricsIntervalMs: 0,
    ...options,
  });
}
