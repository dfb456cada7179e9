import type { Logger } from '@tributary/core';

/** Kafka's default `message.max.bytes`: what a topic takes when neither it nor the broker says otherwise. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/**
 * The largest record batch each topic accepts: its `max.message.bytes`, the broker's
 * `message.max.bytes` unless the topic sets its own. The topics of the topology are known from
 * the start; others (dead-letter topics, a topic extractor's choices) are looked up when first
 * written to. A topic that cannot be looked up is taken to have Kafka's default.
 */
export class TopicLimits {
  private readonly known: Map<string, number>;
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    known: ReadonlyMap<string, number>,
    private readonly lookup: (topics: readonly string[]) => Promise<ReadonlyMap<string, number>>,
    private readonly logger?: Logger,
  ) {
    this.known = new Map(known);
  }

  /** The topic's limit, or `undefined` until it has been looked up (see {@link load}). */
  get(topic: string): number | undefined {
    return this.known.get(topic);
  }

  /** Looks up the topics not known yet (each once) and resolves when all are known. Never rejects. */
  load(topics: readonly string[]): Promise<void> {
    const wanted = [...new Set(topics)].filter((topic) => !this.loading.has(topic));
    if (wanted.length > 0) {
      const loaded = this.lookup(wanted).then(
        (limits) => {
          for (const topic of wanted) this.known.set(topic, limits.get(topic) ?? this.fallback(topic, 'the topic was not found'));
        },
        (error: unknown) => {
          for (const topic of wanted) this.known.set(topic, this.fallback(topic, (error as Error).message));
        },
      );
      for (const topic of wanted) this.loading.set(topic, loaded);
    }
    return Promise.all(topics.map((topic) => this.loading.get(topic))).then(() => undefined);
  }

  private fallback(topic: string, reason: string): number {
    this.logger?.warn(`cannot read max.message.bytes of topic '${topic}', taking Kafka's default ${DEFAULT_MAX_MESSAGE_BYTES}: ${reason}`);
    return DEFAULT_MAX_MESSAGE_BYTES;
  }
}
