import { createServer, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { StreamsBuilder, StreamsError, silentLogger } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { KafkaStreams, type KafkaStreamsOptions } from '../src';
import { createNamedClient } from '../src/client/namedClient';
import { createPlatformaticClient } from '../src/client/platformatic/createPlatformaticClient';
import { fetchedRecords, type FetchResponse } from '../src/client/platformatic/records';

type FetchedPartition = FetchResponse['responses'][number]['partitions'][number];
type Batch = NonNullable<FetchedPartition['records']>[number];

const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;

function batch(firstOffset: number, producerId: number, values: string[], attributes = 0): Batch {
  return {
    firstOffset: BigInt(firstOffset),
    lastOffsetDelta: values.length - 1,
    firstTimestamp: 1_000n,
    maxTimestamp: 1_000n,
    producerId: BigInt(producerId),
    producerEpoch: 0,
    firstSequence: 0,
    attributes,
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    records: values.map((v, i) => ({ length: 0, attributes: 0, timestampDelta: BigInt(i), offsetDelta: i, key: null, value: Buffer.from(v), headers: [] })),
  };
}

/** A transaction marker: a control batch of one record whose key's second int16 is 0 (abort) or 1 (commit). */
function marker(offset: number, producerId: number, commit: boolean): Batch {
  const key = Buffer.alloc(4);
  key.writeInt16BE(commit ? 1 : 0, 2);
  const b = batch(offset, producerId, ['-'], TRANSACTIONAL | CONTROL);
  return { ...b, records: [{ ...b.records[0]!, key }] };
}

function partition(records: Batch[], abortedTransactions: { producerId: number; firstOffset: number }[] = []): FetchedPartition {
  return {
    partitionIndex: 0,
    errorCode: 0,
    highWatermark: 100n,
    lastStableOffset: 100n,
    logStartOffset: 0n,
    preferredReadReplica: -1,
    abortedTransactions: abortedTransactions.map((a) => ({ producerId: BigInt(a.producerId), firstOffset: BigInt(a.firstOffset) })),
    records,
  };
}

const values = (records: readonly { value: Buffer | null }[]) => records.map((r) => r.value?.toString());

describe('the @platformatic/kafka adapter', () => {
  it('drops every aborted transaction of a producer, also one whose abort marker is past the answer, and keeps its committed ones', () => {
    const answer = partition(
      [
        batch(0, 7, ['a1', 'a2'], TRANSACTIONAL), // aborted
        marker(2, 7, false),
        batch(3, 7, ['c1'], TRANSACTIONAL), // committed
        marker(4, 7, true),
        batch(5, 7, ['b1'], TRANSACTIONAL), // aborted, its marker not in this answer
        batch(6, 9, ['plain']),
      ],
      [
        { producerId: 7, firstOffset: 0 },
        { producerId: 7, firstOffset: 5 },
      ],
    );
    const fetched = fetchedRecords('t', 0, 0, answer);
    expect(values(fetched.records)).toEqual(['c1', 'plain']);
    expect(fetched.records.map((r) => r.offset)).toEqual([3, 6]);
    expect(fetched.nextOffset).toBe(7);
  });

  it('skips records before the fetch offset in a batch that starts earlier, and reports where the next fetch starts', () => {
    const fetched = fetchedRecords('t', 0, 11, partition([batch(10, 1, ['x', 'y', 'z'])]));
    expect(values(fetched.records)).toEqual(['y', 'z']);
    expect(fetched.firstOffset).toBe(10);
    expect(fetched.nextOffset).toBe(13);
  });

  it('reports an answer of only transaction markers as no records and a next offset past them', () => {
    const fetched = fetchedRecords('t', 0, 4, partition([marker(4, 7, true)]));
    expect(fetched.records).toEqual([]);
    expect(fetched.nextOffset).toBe(5);
  });

  it("rejects an unknown client name, naming the ones there are", () => {
    const builder = new StreamsBuilder();
    builder.stream('in').to('out');
    const options = { applicationId: 'app', brokers: '127.0.0.1:9092', handleSignals: false, client: 'rdkafka' } as unknown as KafkaStreamsOptions;
    expect(() => new KafkaStreams(builder.build(), options)).toThrow("client must be 'kafkajs' or 'platformatic' or a StreamsClient, got 'rdkafka'");
  });

  it("takes TLS and SASL options with client: 'platformatic' (they configure the named client)", () => {
    const builder = new StreamsBuilder();
    builder.stream('in').to('out');
    expect(
      () => new KafkaStreams(builder.build(), { applicationId: 'app', brokers: '127.0.0.1:9092', handleSignals: false, client: 'platformatic', ssl: true, sasl: { mechanism: 'plain', username: 'u', password: 'p' } }),
    ).not.toThrow();
  });

  it("creates the platformatic client on Node 22 and newer, and says which Node it needs on older ones", async () => {
    const create = createNamedClient('platformatic', { brokers: ['127.0.0.1:9092'], clientId: 'c', logger: silentLogger });
    if (Number(process.versions.node.split('.')[0]) >= 22) {
      const client = await create;
      expect(typeof client.groupConsumer).toBe('function');
    } else {
      await expect(create).rejects.toThrow(`client 'platformatic' needs Node 22 or newer (@platformatic/kafka 2.x); this is Node ${process.versions.node}`);
    }
  });

  it('never shows the TLS private key, its passphrase or the SASL password when its clients are inspected or serialized', () => {
    const secrets = { key: '-----BEGIN ENCRYPTED PRIVATE KEY-----\nS3CR3T-a1b2c3\n-----END ENCRYPTED PRIVATE KEY-----\n', passphrase: 'key-passphrase-d4e5f6', password: 'sasl-password-g7h8i9' };
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const client = createPlatformaticClient({
      brokers: ['127.0.0.1:9092'],
      clientId: 'c',
      logger: silentLogger,
      connection: { ssl: { key: secrets.key, passphrase: secrets.passphrase, cert: pem, ca: pem }, sasl: { mechanism: 'scram-sha-512', username: 'ann', password: secrets.password } },
    });
    const assignor = { name: 'test', version: 0, userData: () => Buffer.alloc(0), assign: () => new Map() };
    const parts = [
      client.admin(),
      client.producer({ clientId: 'c', deliveryTimeoutMs: 1_000 }),
      client.transactionalProducer({ clientId: 'c', deliveryTimeoutMs: 1_000, transactionalId: 'tx' }),
      client.groupConsumer({ groupId: 'g', clientId: 'c', sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, rebalanceTimeoutMs: 10_000, maxWaitTimeMs: 100, maxBytesPerPartition: 1_048_576, readCommitted: false, autoOffsetReset: 'earliest', assignor, rebalanceProtocol: 'cooperative' }),
      client.changelogReader({ groupIdPrefix: 'r', clientId: 'c', readCommitted: false }),
    ];
    const shown = parts.map((part) => inspect(part, { depth: Infinity, showHidden: false })).join('\n');
    // The inspected clients do hold their TLS options (the CA and certificate show), without the secrets.
    expect(shown).toContain('cert: \'-----BEGIN CERTIFICATE-----');
    expect(shown).toContain("key: '[hidden]'");
    for (const secret of [...Object.values(secrets), 'S3CR3T']) expect(shown).not.toContain(secret);
    const admin = (parts[0] as unknown as { admin: object }).admin;
    const options = Object.getOwnPropertySymbols(admin).map((symbol) => (admin as Record<symbol, unknown>)[symbol]).find((value) => (value as { tls?: unknown })?.tls) as { tls: object };
    expect(JSON.stringify(options.tls)).not.toMatch(/S3CR3T|key-passphrase/);
    // What the client spreads into tls.connect() still has them.
    expect({ ...options.tls }).toMatchObject({ key: secrets.key, passphrase: secrets.passphrase });
  });

  // The client itself runs on Node 22 or newer (npm test runs this file on Node 22 and 24 too); on Node 20 there is nothing to connect with.
  if (Number(process.versions.node.split('.')[0]) < 22) return;

  it('says a broker that accepts connections and never answers did not answer within requestTimeoutMs, as a retriable failure', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const client = createPlatformaticClient({ brokers: [`127.0.0.1:${port}`], clientId: 'c', logger: silentLogger, connection: { requestTimeoutMs: 300, admin: { retries: 1 } } });
      const admin = client.admin();
      const error = await admin.connect().then(
        () => undefined,
        (e: unknown) => e as StreamsError,
      );
      await admin.disconnect();
      expect(error).toBeInstanceOf(StreamsError);
      expect(error?.message).toBe('the broker did not answer within 300 ms (requestTimeoutMs) (2 attempts)');
      expect(error?.retriable).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
