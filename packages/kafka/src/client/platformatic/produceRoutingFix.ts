import { kGetApi, kGetConnection, MultipleErrors, type Broker, type Callback, type Connection, type Producer } from '@platformatic/kafka';

/**
 * Mends how a `@platformatic/kafka` (2.12.1) producer retries a request after a leader change.
 * The client sends each leader one request with every record bound for it, and retries that
 * request as a whole, to the leader of its *first* record's partition only
 * (`Producer#performSingleDestinationSend`). When a dead leader's partitions move to two
 * different nodes, each retry goes to one of them, which writes its own partitions and answers
 * NOT_LEADER_OR_FOLLOWER for the others, again and again until the retries run out, long after
 * `deliveryTimeoutMs`. The sends after it then find a gap in those partitions' sequence numbers
 * (OUT_OF_ORDER_SEQUENCE_NUMBER), on which the client takes a new producer id and writes that
 * whole request again, so records of the other partitions in it, already written, are written
 * twice. `test/system/producerLeaderKill.test.ts` shows both.
 *
 * The mend wraps the Produce call of this producer: a request whose partitions have different
 * leaders in the producer's metadata is split, each leader gets its own share over its own
 * connection, and their answers are joined into one. The shares keep the request's producer id
 * and sequence numbers, so a share written by an earlier attempt is deduplicated by its broker.
 * A request whose partitions share one leader (every first attempt) goes out unchanged. Remove
 * this once the client routes a retried request by each partition's leader.
 */
export function mendProduceRouting(producer: Producer): void {
  const client = producer as unknown as RoutingInternals;
  const getApi = client[kGetApi].bind(client);
  client[kGetApi] = (name, callback) =>
    getApi(name, (error, api) => {
      if (error || name !== 'Produce' || !api) callback(error, api);
      else callback(null, routedByLeader(client, api));
    });
}

/** A record as the client passes it to the Produce API (after choosing its partition). */
interface ProducedMessage {
  topic: string;
  partition: number;
}

/** The Produce API: connection, acks, timeout, records, producer id and sequences, callback. */
type ProduceApi = ((connection: Connection, acks: number, timeout: number, messages: ProducedMessage[], options: unknown, callback: Callback<ProduceAnswer>) => void) & { async: unknown; key: number; version: number };

/** A Produce answer (acks=0 answers `true` or `false` instead; this producer always waits). */
interface ProduceAnswer {
  responses: unknown[];
  throttleTimeMs: number;
  nodeEndpoints?: unknown[];
}

/** The client internals the mend uses: its API lookup, its connections and its metadata. */
interface RoutingInternals {
  [kGetApi](name: string, callback: Callback<ProduceApi>): void;
  [kGetConnection](broker: Broker | undefined, callback: Callback<Connection>): void;
  readonly currentMetadata: { brokers: Map<number, Broker>; topics: Map<string, { partitions: { leader: number }[] } | undefined> } | undefined;
}

function routedByLeader(client: RoutingInternals, api: ProduceApi): ProduceApi {
  const routed = (connection: Connection, acks: number, timeout: number, messages: ProducedMessage[], options: unknown, callback: Callback<ProduceAnswer>) => {
    const shares = byLeader(client, messages);
    if (shares.size <= 1) {
      api(connection, acks, timeout, messages, options, callback);
      return;
    }
    const answers: ProduceAnswer[] = [];
    const errors: Error[] = [];
    let pending = shares.size;
    const settle = () => {
      if (--pending > 0) return;
      if (errors.length > 0) callback(errors.length === 1 ? errors[0]! : new MultipleErrors('Producing to the new leaders failed.', errors));
      else callback(null, { responses: answers.flatMap((a) => a.responses), throttleTimeMs: Math.max(...answers.map((a) => a.throttleTimeMs)), nodeEndpoints: [] });
    };
    for (const [broker, share] of shares.values()) {
      // An unknown leader gets the client's own error for it (retriable, with stale metadata).
      client[kGetConnection](broker, (error, shareConnection) => {
        if (error || !shareConnection) {
          errors.push(error ?? new Error('no connection'));
          settle();
          return;
        }
        api(shareConnection, acks, timeout, share, options, (shareError, answer) => {
          if (shareError) errors.push(shareError);
          else if (answer) answers.push(answer);
          settle();
        });
      });
    }
  };
  return Object.assign(routed, { async: api.async, key: api.key, version: api.version });
}

/** The request's records by the leader of their partition (`-1`: no leader known now). Runs per request: no string per record. */
function byLeader(client: RoutingInternals, messages: ProducedMessage[]): Map<number, [Broker | undefined, ProducedMessage[]]> {
  const shares = new Map<number, [Broker | undefined, ProducedMessage[]]>();
  const metadata = client.currentMetadata;
  if (!metadata) return shares;
  for (const message of messages) {
    const leader = metadata.topics.get(message.topic)?.partitions[message.partition]?.leader ?? -1;
    const share = shares.get(leader);
    if (share) share[1].push(message);
    else shares.set(leader, [metadata.brokers.get(leader), [message]]);
  }
  return shares;
}
