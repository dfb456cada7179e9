/** A key and a value, as `map` returns them and `flatMap` yields them. */
export type KeyValue<K, V> = readonly [key: K, value: V];

/** Record headers: Kafka's are byte arrays; strings are accepted and encoded as UTF-8. */
export type Headers = Record<string, string | Buffer | undefined>;

/**
 * A record as a processor sees it (design section 4). `topic`, `partition` and `offset`
 * describe the input record that caused it, as Kafka Streams' record context does.
 */
export interface StreamRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
  readonly headers: Headers;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** The context a record function can read besides the key and value. */
export type RecordContext = Omit<StreamRecord<unknown, unknown>, 'key' | 'value'>;
