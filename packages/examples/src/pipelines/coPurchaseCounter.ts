import type { KeyValueStore, Processor, ProcessorContext, StreamRecord } from '@tributary/core';
import { CoPurchaseRow, rebuildCoPurchaseCounts, type BasketForProduct, type BasketPartners } from './coPurchases';
import { compositeKey } from './compositeKey';
import { TAB } from './textSerde';
import { deriveOnce } from './deriveOnce';

/**
 * Counts each complete basket into the row of a product it contains (the record's key): the
 * basket is kept in `co-purchase-baskets` under `product|invoiceNo` (its other products), and
 * the product's {@link CoPurchaseRow} in `co-purchase-counts` adds 1 for each of them, with its
 * ranking kept exact.
 *
 * Why two stores: the durable state is the baskets, one small changelog record per basket and
 * product (the basket itself, some 300 bytes); the rows are derived from them and kept in
 * memory only (no changelog), rebuilt from the baskets when a task starts on restored stores
 * ({@link rebuildCoPurchaseCounts}). Logging the rows instead rewrites a product's whole row,
 * thousands of counts, on every basket (1.1 GB for the data set); logging a count per product
 * pair writes 18 million records. Forwards nothing.
 */
export class CoPurchaseCounter implements Processor<string, BasketForProduct, never, never> {
  private baskets!: KeyValueStore<string, BasketPartners>;
  private counts!: KeyValueStore<string, CoPurchaseRow>;

  constructor(
    private readonly basketStore: string,
    private readonly countStore: string,
    private readonly topSize: number,
  ) {}

  init(context: ProcessorContext<never, never>): void {
    this.baskets = context.getStateStore<KeyValueStore<string, BasketPartners>>(this.basketStore);
    this.counts = context.getStateStore<KeyValueStore<string, CoPurchaseRow>>(this.countStore);
  }

  process(record: StreamRecord<string, BasketForProduct>): void {
    deriveOnce(this.counts, () => rebuildCoPurchaseCounts(this.baskets, this.counts, this.topSize));
    const product = record.key;
    const partners = record.value.products.filter((other) => other !== product);
    const key = compositeKey(product, record.value.invoiceNo);
    const earlier = this.baskets.get(key);
    const text = partners.join(TAB);
    this.baskets.put(key, earlier === undefined ? text : earlier + TAB + text, record.timestamp);
    let row = this.counts.get(product);
    if (row === undefined) row = new CoPurchaseRow();
    row.addBasket(product, partners, this.topSize);
    this.counts.put(product, row, record.timestamp);
  }
}
