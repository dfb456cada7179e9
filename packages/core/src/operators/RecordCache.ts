import type { ProcessorNodeContext } from '../runtime/ProcessorNodeContext';

/**
 * The updates a stateful operator holds back between commits (Kafka Streams' record cache,
 * `statestore.cache.max.bytes`): one entry per key updated since the last commit. The store
 * itself is written at once (without its changelog), so reads and queries see every update;
 * at each commit, and for the oldest entry when `maxRecords` keys are held, the operator
 * logs each key's latest value once and forwards it once (`flushEntry`). Many updates of a
 * key between two commits cost one changelog record and one output record.
 *
 * No input record is held open: the runtime flushes the caches synchronously right before
 * it chooses the offsets of a commit, and the flushed records are sent before that commit
 * completes, so a committed offset never covers an update that lives only here.
 */
export class RecordCache<E> {
  private readonly entries = new Map<unknown, E>();

  constructor(
    context: ProcessorNodeContext,
    private readonly maxRecords: number,
    private readonly flushEntry: (entry: E) => void,
  ) {
    context.onCommit(() => this.flush());
  }

  /** The key's entry: the one held since the last commit (the caller updates it), or a new one from `create`. */
  entry(key: unknown, create: () => E): E {
    const held = this.entries.get(key);
    if (held) return held;
    if (this.entries.size >= this.maxRecords) this.evictOldest();
    const entry = create();
    this.entries.set(key, entry);
    return entry;
  }

  /** Logs and forwards every held entry, in the order their keys were first updated. */
  flush(): void {
    if (this.entries.size === 0) return;
    const held = [...this.entries.values()];
    this.entries.clear();
    for (const entry of held) this.flushEntry(entry);
  }

  private evictOldest(): void {
    const [key, entry] = this.entries.entries().next().value as [unknown, E];
    this.entries.delete(key);
    this.flushEntry(entry);
  }
}
