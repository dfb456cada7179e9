import { promisify } from 'node:util';
import { kGetApi, produceV10, produceV11, produceV3, produceV4, produceV5, produceV6, produceV7, produceV8, produceV9, Writer, type Callback, type Connection, type Producer } from '@platformatic/kafka';
import { encodeProduceRequest, type ProduceMessage, type ProduceRequestOptions } from './produceRequestEncoder';

/** What the client passes its Produce API besides the records. */
interface ProduceOptions extends ProduceRequestOptions {
  readonly compression?: string | undefined;
}

/** The client's Produce API: connection, acks, timeout, records, producer id and sequences, callback. */
type ProduceApi = ((connection: Connection, acks: number, timeout: number, messages: ProduceMessage[], options: ProduceOptions, callback: Callback<unknown>) => void) & {
  async: unknown;
  key: number;
  version: number;
};

/** The client's answer readers by Produce version (the request's shape changes at v9, the answer's at v5, v8 and v10). */
const responseParsers: Record<number, (typeof produceV11)['parseResponse']> = {
  3: produceV3.parseResponse,
  4: produceV4.parseResponse,
  5: produceV5.parseResponse,
  6: produceV6.parseResponse,
  7: produceV7.parseResponse,
  8: produceV8.parseResponse,
  9: produceV9.parseResponse,
  10: produceV10.parseResponse,
  11: produceV11.parseResponse,
};
const FIRST_FLEXIBLE_VERSION = 9;

/**
 * Makes a `@platformatic/kafka` (2.12.1) producer encode its Produce requests with
 * `produceRequestEncoder.ts` instead of its own encoder, which allocates a writer, a buffer
 * list and a small buffer per field of every record, then copies them together for the CRC:
 * half of the bytes a streams app allocated went there. This encoder sizes the request and
 * writes it into one buffer. The request and its answer are the same, so everything else (the
 * producer's retries, sequences, transactions and its answer parsing) stays the client's.
 *
 * The Produce API the client looks up (`kGetApi`) is swapped for one that sends the same API
 * version with this encoding; a compressed request still goes through the client's own API.
 * `produceRoutingFix.ts` wraps the result in turn. Remove this if the client's encoder stops
 * allocating per record.
 */
export function useLeanProduceEncoding(producer: Producer): void {
  const client = producer as unknown as ApiLookup;
  const getApi = client[kGetApi].bind(client);
  client[kGetApi] = (name, callback) =>
    getApi(name, (error, api) => {
      if (error || name !== 'Produce' || !api || responseParsers[api.version] === undefined) callback(error, api);
      else callback(null, leanApi(api));
    });
}

interface ApiLookup {
  [kGetApi](name: string, callback: Callback<ProduceApi>): void;
}

/** One lean API per client API (the lookup runs for every request: no closure per request). */
const leanApis = new WeakMap<ProduceApi, ProduceApi>();

function leanApi(clientApi: ProduceApi): ProduceApi {
  const known = leanApis.get(clientApi);
  if (known) return known;
  const version = clientApi.version;
  const parseResponse = responseParsers[version]!;
  const flexible = version >= FIRST_FLEXIBLE_VERSION;
  const api = (connection: Connection, acks = 1, timeout = 0, messages: ProduceMessage[], options: ProduceOptions = {}, callback: Callback<unknown>) => {
    if (options.compression !== undefined && options.compression !== 'none') {
      clientApi(connection, acks, timeout, messages, options, callback);
      return;
    }
    connection.send(clientApi.key, version, () => requestWriter(version, acks, timeout, messages, options), parseResponse, flexible, flexible, callback);
  };
  const lean = Object.assign(api, { async: promisify(api), key: clientApi.key, version });
  leanApis.set(clientApi, lean);
  return lean;
}

/** The encoded request as the connection takes it: a writer (one buffer), flagged when no answer comes (acks=0). */
function requestWriter(version: number, acks: number, timeout: number, messages: ProduceMessage[], options: ProduceOptions): Writer {
  const writer = Writer.create().append(encodeProduceRequest(version, acks, timeout, messages, options));
  if (acks === 0) writer.context.noResponse = true;
  return writer;
}
