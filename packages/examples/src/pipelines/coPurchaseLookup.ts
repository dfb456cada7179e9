import type { KeyValueStore, Processor, ProcessorContext, StreamRecord } from '@tributary/core';
import { rankedCandidates, rebuildCoPurchaseCounts, type BasketPartners, type CoPurchaseRow } from './coPurchases';
import type { PurchaseRef, PurchaseWithCandidates } from './recommendationSerdes';
import { deriveOnce } from './deriveOnce';

/**
 * Looks up the ranked co-purchased products of each purchase's product (the record's key) in
 * `co-purchase-counts` and forwards the purchase with them; a purchase of a product with no
 * row yet (never in a complete basket with another product) is dropped, as an inner
 * stream-table join drops it.
 *
 * Why a processor and not `KStream.join(KTable)`: the rows are a store that
 * {@link CoPurchaseCounter} derives from `co-purchase-baskets`, not a table. It runs in the same
 * task as the counter (the two share the stores), so it may see the first record after a
 * restore: it rebuilds the rows then too.
 */
export class CoPurchaseLookup implements Processor<string, PurchaseRef, string, PurchaseWithCandidates> {
  private context!: ProcessorContext<string, PurchaseWithCandidates>;
  private baskets!: KeyValueStore<string, BasketPartners>;
  private counts!: KeyValueStore<string, CoPurchaseRow>;

  constructor(
    private readonly basketStore: string,
    private readonly countStore: string,
    private readonly topSize: number,
  ) {}

  init(context: ProcessorContext<string, PurchaseWithCandidates>): void {
    this.context = context;
    this.baskets = context.getStateStore<KeyValueStore<string, BasketPartners>>(this.basketStore);
    this.counts = context.getStateStore<KeyValueStore<string, CoPurchaseRow>>(this.countStore);
  }

  process(record: StreamRecord<string, PurchaseRef>): void {
    deriveOnce(this.counts, () => rebuildCoPurchaseCounts(this.baskets, this.counts, this.topSize));
    const row = this.counts.get(record.key);
    if (row === undefined) return;
    this.context.forward({ key: record.key, value: { ...record.value, ...rankedCandidates(row) } });
  }
}
