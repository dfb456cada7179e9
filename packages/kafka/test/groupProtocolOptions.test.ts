// `groupProtocol: 'consumer'` (KIP-848) is refused where it cannot run, before anything connects,
// with an error that says why and what to use instead.
import { silentLogger, StreamsBuilder, StreamsError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { KafkaStreams, type KafkaStreamsOptions } from '../src';

function topology() {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('in').to('out');
  return builder.build();
}

const options = (extra: Partial<KafkaStreamsOptions>): KafkaStreamsOptions => ({
  applicationId: 'kip848-options',
  brokers: ['127.0.0.1:1'],
  logger: silentLogger,
  groupProtocol: 'consumer',
  ...extra,
});

describe('groupProtocol', () => {
  it("'consumer' is refused on KafkaJS at start(), naming the client that can, before connecting", async () => {
    const app = new KafkaStreams(topology(), options({ client: 'kafkajs' }));
    await expect(app.start()).rejects.toThrow("groupProtocol 'consumer' (KIP-848) needs client 'platformatic'; the kafkajs client joins classic groups only");
    await app.close();
  });

  it("'consumer' is refused with exactly-once and with standby replicas, each saying why", () => {
    expect(() => new KafkaStreams(topology(), options({ numStandbyReplicas: 1 }))).toThrow(StreamsError);
    expect(() => new KafkaStreams(topology(), options({ numStandbyReplicas: 1 }))).toThrow(/numStandbyReplicas needs groupProtocol 'classic'/);
    expect(() => new KafkaStreams(topology(), options({ processingGuarantee: 'exactly_once' }))).toThrow(/does not run exactly_once yet/);
  });

  it('accepts only the two protocols', () => {
    expect(() => new KafkaStreams(topology(), options({ groupProtocol: 'streams' as never }))).toThrow("groupProtocol must be 'classic' or 'consumer', got 'streams'");
    expect(() => new KafkaStreams(topology(), options({ groupProtocol: 'classic', numStandbyReplicas: 1 }))).not.toThrow();
  });
});
