// The @platformatic/kafka adapter encodes Produce requests itself (src/client/platformatic/
// produceRequestEncoder.ts, recordBatchEncoder.ts, leanProduceApi.ts), in one buffer instead of
// the client's buffer per field. The requests must be those the client writes: read back with
// the client's own record batch reader, byte for byte the client's (mended) encoding, and sent
// through the producer's Produce API lookup for the same API version.
import { jsCRC32C, kGetApi, NumericMap, produceV11, produceV3, produceV9, Producer, Reader, readRecordsBatch, type Connection, type RecordsBatch } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { useLeanProduceEncoding } from '../src/client/platformatic/leanProduceApi';
import { encodeProduceRequest, type ProduceMessage, type ProduceRequestOptions } from '../src/client/platformatic/produceRequestEncoder';
import { mendTimestampDeltas } from '../src/client/platformatic/timestampDeltaFix';

const first = 1_700_000_000_000n;
const DAY = 86_400_000n;
const bytes = (text: string) => Buffer.from(text);

/** Every edge a record can have: empty and null keys, null values, headers, far timestamps. */
function messages(): ProduceMessage[] {
  return [
    { topic: 'orders', partition: 1, timestamp: first, key: bytes('k1'), value: bytes('v1') },
    { topic: 'orders', partition: 1, timestamp: first - 2n ** 31n - 5n, key: Buffer.alloc(0), value: bytes('far before') },
    { topic: 'orders', partition: 1, timestamp: first + 300n * DAY, value: bytes('no key') },
    { topic: 'orders', partition: 0, timestamp: first, key: bytes('tombstone'), value: null },
    { topic: 'orders', partition: 1, timestamp: first - 400n * DAY, key: bytes('h'), value: bytes('headers'), headers: new Map([[bytes('trace'), bytes('abc')], [bytes('empty'), Buffer.alloc(0)], [bytes('none'), null]]) },
    { topic: 'changelog', partition: 3, timestamp: first, key: bytes('k'), value: bytes('x'.repeat(300)) },
    { topic: 'orders', partition: 0, timestamp: first + 1n, key: null, value: Buffer.alloc(0) },
  ];
}

function copies(list: ProduceMessage[]): ProduceMessage[] {
  return list.map((message) => ({ ...message }));
}

function idempotent(transactionalId?: string): ProduceRequestOptions {
  const sequences = new NumericMap();
  sequences.set('orders:1', 40);
  sequences.set('changelog:3', 7);
  return { producerId: 4242n, producerEpoch: 3, sequences, ...(transactionalId === undefined ? {} : { transactionalId }) };
}

interface DecodedRequest {
  transactionalId: string | null;
  acks: number;
  timeout: number;
  topics: { name: string; partitions: { partition: number; batch: RecordsBatch; bytes: Buffer }[] }[];
}

/** Reads a Produce request body by Kafka's schema, each partition's records with the client's batch reader. */
function decode(body: Buffer, flexible: boolean): DecodedRequest {
  const reader = Reader.from(body);
  const transactionalId = reader.readNullableString(flexible);
  const acks = reader.readInt16();
  const timeout = reader.readInt32();
  const topics = reader.readArray(
    (r) => ({
      name: r.readString(flexible),
      partitions: r.readArray(
        (p) => {
          const partition = p.readInt32();
          const length = flexible ? p.readUnsignedVarInt() - 1 : p.readInt32();
          const start = p.position;
          const batch = readRecordsBatch(p);
          expect(p.position - start).toBe(length);
          return { partition, batch, bytes: body.subarray(start, start + length) };
        },
        flexible,
        flexible,
      ),
    }),
    flexible,
    flexible,
  );
  if (flexible) expect(reader.readUnsignedVarInt()).toBe(0); // the request's tagged fields
  expect(reader.remaining).toBe(0);
  return { transactionalId, acks, timeout, topics };
}

describe('the Produce request encoder for @platformatic/kafka', () => {
  it('writes record batches the client reads back: keys, values, headers, timestamps, producer id and sequences', () => {
    const body = encodeProduceRequest(11, -1, 30_000, messages(), idempotent());
    const request = decode(body, true);
    expect(request).toMatchObject({ transactionalId: null, acks: -1, timeout: 30_000 });
    expect(request.topics.map((t) => [t.name, t.partitions.map((p) => p.partition)])).toEqual([
      ['orders', [0, 1]],
      ['changelog', [3]],
    ]);

    const orders1 = request.topics[0]!.partitions[1]!.batch;
    expect(orders1).toMatchObject({ firstOffset: 0n, magic: 2, attributes: 0, producerId: 4242n, producerEpoch: 3, firstSequence: 40, lastOffsetDelta: 3, firstTimestamp: first, maxTimestamp: first + 300n * DAY });
    expect(orders1.records.map((r) => [r.offsetDelta, orders1.firstTimestamp + r.timestampDelta])).toEqual([
      [0, first],
      [1, first - 2n ** 31n - 5n],
      [2, first + 300n * DAY],
      [3, first - 400n * DAY],
    ]);
    expect(orders1.records[1]!.key).toEqual(Buffer.alloc(0));
    expect(orders1.records[2]!.key).toBeNull();
    expect(orders1.records[3]!.headers).toEqual([
      [bytes('trace'), bytes('abc')],
      [bytes('empty'), Buffer.alloc(0)],
      [bytes('none'), null],
    ]);
    expect(orders1.records[0]!.headers).toEqual([]);

    const orders0 = request.topics[0]!.partitions[0]!.batch;
    expect(orders0.firstSequence).toBe(0); // no sequence yet for orders:0
    expect(orders0.records.map((r) => [r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
      ['tombstone', null],
      [null, ''],
    ]);
    const changelog = request.topics[1]!.partitions[0]!.batch;
    expect(changelog).toMatchObject({ firstSequence: 7, lastOffsetDelta: 0 });
    expect(changelog.records[0]!.value).toEqual(bytes('x'.repeat(300)));
  });

  it('gives each batch its length and a CRC32C over attributes to the last record', () => {
    const request = decode(encodeProduceRequest(11, -1, 30_000, messages(), idempotent()), true);
    for (const { partitions } of request.topics) {
      for (const { batch, bytes: batchBytes } of partitions) {
        expect(batch.length).toBe(batchBytes.length - 12);
        expect(batch.crc).toBe(jsCRC32C(batchBytes.subarray(21)));
        const corrupted = Buffer.from(batchBytes);
        corrupted[corrupted.length - 1]! ^= 1;
        expect(jsCRC32C(corrupted.subarray(21))).not.toBe(batch.crc);
      }
    }
  });

  it('marks a transactional producer batches transactional and names its transactional id', () => {
    const request = decode(encodeProduceRequest(11, -1, 1000, messages(), idempotent('app-0_1')), true);
    expect(request.transactionalId).toBe('app-0_1');
    for (const { partitions } of request.topics) for (const { batch } of partitions) expect(batch.attributes).toBe(0x10);
  });

  it('writes timestamp deltas beyond 2^52 ms, and up to the int64 edge, exactly', () => {
    const far = [2n ** 52n, -(2n ** 52n), 2n ** 53n + 1n, -(2n ** 62n), 2n ** 63n - 1n - first];
    const list: ProduceMessage[] = [{ topic: 't', partition: 0, timestamp: first, value: bytes('v') }, ...far.map((delta) => ({ topic: 't', partition: 0, timestamp: first + delta, value: bytes('v') }))];
    const batch = decode(encodeProduceRequest(9, -1, 1000, list, {}), true).topics[0]!.partitions[0]!.batch;
    expect(batch.records.map((r) => r.timestampDelta)).toEqual([0n, ...far]);
    expect(batch).toMatchObject({ producerId: -1n, producerEpoch: 0, firstSequence: 0 });
  });

  it('writes what the client writes, byte for byte, for the non-flexible (v3) and flexible (v9, v11) requests', () => {
    mendTimestampDeltas(); // the client's own encoder writes deltas below -2^31 wrong without it
    for (const [version, client] of [
      [3, produceV3],
      [9, produceV9],
      [11, produceV11],
    ] as const) {
      for (const options of [idempotent(), idempotent('tx'), {}]) {
        const ours = encodeProduceRequest(version, -1, 5000, copies(messages()), options);
        const theirs = client.createRequest(-1, 5000, copies(messages()) as never, options as never).buffer;
        expect(ours.equals(theirs), `Produce v${version}`).toBe(true);
      }
    }
  });

  it('fills in a missing partition and timestamp on the message, as the client does, so a retry sends the same', () => {
    const before = BigInt(Date.now());
    const message: ProduceMessage = { topic: 't', value: bytes('v') };
    const batch = decode(encodeProduceRequest(11, 1, 0, [message], {}), true).topics[0]!.partitions[0];
    expect(batch!.partition).toBe(0);
    expect(message.partition).toBe(0);
    expect(message.timestamp! >= before).toBe(true);
    expect(batch!.batch.firstTimestamp).toBe(message.timestamp);
  });
});

// A Producer of @platformatic/kafka 2.x needs Node 22 (Promise.withResolvers): the unit tests on Node 22 and 24 run these.
describe.skipIf(Number(process.versions.node.split('.')[0]) < 22)("a producer's Produce API with the lean encoding", () => {
  /** A producer whose API lookup answers the client's Produce v11, and a connection that keeps what is sent. */
  function producerAndConnection() {
    const producer = new Producer({ clientId: 'encoder-test', bootstrapBrokers: ['localhost:1'] });
    const internals = producer as unknown as { [kGetApi]: (name: string, callback: (error: Error | null, api?: unknown) => void) => void };
    internals[kGetApi] = (name, callback) => callback(null, name === 'Produce' ? produceV11.api : undefined);
    useLeanProduceEncoding(producer);
    const sent: { apiKey: number; apiVersion: number; payload: Buffer; noResponse: boolean; tagged: boolean }[] = [];
    const connection = {
      send(apiKey: number, apiVersion: number, createPayload: () => { buffer: Buffer; context: { noResponse?: boolean } }, _parser: unknown, tagged: boolean) {
        const payload = createPayload();
        sent.push({ apiKey, apiVersion, payload: payload.buffer, noResponse: payload.context.noResponse ?? false, tagged });
      },
    } as unknown as Connection;
    type Api = (connection: Connection, acks: number, timeout: number, messages: ProduceMessage[], options: object, callback: () => void) => void;
    const api = () => new Promise<Api & { version: number }>((resolve) => internals[kGetApi]('Produce', (_error, api) => resolve(api as Api & { version: number })));
    return { producer, api, connection, sent };
  }

  it('sends the same API version with the request encoded here', async () => {
    const { producer, api, connection, sent } = producerAndConnection();
    const produce = await api();
    expect(produce).not.toBe(produceV11.api);
    expect(produce.version).toBe(11);
    expect(await api()).toBe(produce); // one per client API, not one per request
    produce(connection, -1, 5000, messages(), idempotent(), () => {});
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ apiKey: 0, apiVersion: 11, noResponse: false, tagged: true });
    expect(sent[0]!.payload.equals(encodeProduceRequest(11, -1, 5000, messages(), idempotent()))).toBe(true);
    produce(connection, 0, 5000, messages(), {}, () => {});
    expect(sent[1]!.noResponse).toBe(true);
    await producer.close();
  });

  it('leaves a compressed request to the client', async () => {
    const { producer, api, connection, sent } = producerAndConnection();
    const produce = await api();
    produce(connection, -1, 5000, messages(), { ...idempotent(), compression: 'snappy' }, () => {});
    const batch = decode(sent[0]!.payload, true).topics[0]!.partitions[0]!.batch;
    expect(batch.attributes & 0x07).toBe(2); // snappy, by the client's encoder
    await producer.close();
  });
});
