import type { KeyValueStore, Processor, ProcessorContext, StreamRecord } from '@tributary/core';
import type { CoPurchaseCandidate } from './coPurchases';
import { rebuildCustomerProductSets } from './customerProductsRecorder';
import type { PurchaseWithCandidates } from './recommendationSerdes';
import type { Recommendation } from './recommendations';
import { deriveOnce } from './deriveOnce';

/**
 * Turns a purchase with its product's ranked candidates (keyed by customer) into a
 * {@link Recommendation}: the first `topN` candidates the customer never bought, checked in
 * `customer-product-sets` (see {@link CustomerProductsRecorder}). Forwards every purchase, with
 * an empty list when nothing is left to recommend.
 *
 * Why a processor and not `KStream.join(KTable)`: the customer's products are a store of one
 * entry per product with a derived set per customer, not a table of one value per customer.
 * It runs in the same task as the recorder (the two share the stores), so it may see the first
 * record after a restore: it rebuilds the sets then too.
 */
export class RecommendationPicker implements Processor<string, PurchaseWithCandidates, string, Recommendation> {
  private context!: ProcessorContext<string, Recommendation>;
  private products!: KeyValueStore<string, number>;
  private sets!: KeyValueStore<string, Set<string>>;

  constructor(
    private readonly productStore: string,
    private readonly setStore: string,
    private readonly topN: number,
  ) {}

  init(context: ProcessorContext<string, Recommendation>): void {
    this.context = context;
    this.products = context.getStateStore<KeyValueStore<string, number>>(this.productStore);
    this.sets = context.getStateStore<KeyValueStore<string, Set<string>>>(this.setStore);
  }

  process(record: StreamRecord<string, PurchaseWithCandidates>): void {
    deriveOnce(this.sets, () => rebuildCustomerProductSets(this.products, this.sets));
    const purchase = record.value;
    const bought = this.sets.get(record.key);
    const recommendations: CoPurchaseCandidate[] = [];
    for (let i = 0; i < purchase.candidates.length && recommendations.length < this.topN; i++) {
      const stockCode = purchase.candidates[i]!;
      if (!bought?.has(stockCode)) recommendations.push({ stockCode, coPurchases: purchase.coPurchases[i]! });
    }
    this.context.forward({
      key: record.key,
      value: { customerId: purchase.customerId, invoiceNo: purchase.invoiceNo, stockCode: purchase.stockCode, recommendations, timestamp: purchase.timestamp },
    });
  }
}
