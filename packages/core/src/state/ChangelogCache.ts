import type { StoreChangeLogger } from './StateStore';
import { storeKey } from './storeKey';

/**
 * The changelog writes of a store with `caching` (Kafka Streams' caching store for the
 * processor API): one entry per key written since the last commit, with its latest value
 * and timestamp. The store itself is written at once, so reads see every write; the
 * changelog gets each key once, at the runtime's next commit ({@link flush}, called before
 * the commit's offsets are chosen), or all held keys when `maxRecords` are held. A restore
 * then rebuilds the state the store had at each commit, as it would from every write.
 */
export class ChangelogCache implements StoreChangeLogger {
  private readonly entries = new Map<unknown, { key: unknown; value: unknown; timestamp: number }>();

  constructor(
    private readonly changelog: StoreChangeLogger,
    private readonly maxRecords: number,
  ) {}

  log(key: unknown, value: unknown, timestamp: number): void {
    const id = storeKey(key);
    const held = this.entries.get(id);
    if (held) {
      held.value = value;
      held.timestamp = timestamp;
      return;
    }
    if (this.entries.size >= this.maxRecords) this.flush();
    this.entries.set(id, { key, value, timestamp });
  }

  /** Writes every held key to the changelog, in the order the keys were first written. */
  flush(): void {
    if (this.entries.size === 0) return;
    const held = [...this.entries.values()];
    this.entries.clear();
    for (const { key, value, timestamp } of held) this.changelog.log(key, value, timestamp);
  }
}
