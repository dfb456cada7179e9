import type { FixedKeyProcessor, FixedKeyProcessorContext, FixedKeyRecord, KeyValueStore, ReadOnlyKeyValueStore } from '@tributary/core';
import type { CustomerInteraction } from '../data';
import { compositeKey, firstPart, secondPart } from './compositeKey';
import { deriveOnce } from './deriveOnce';

/**
 * Records which products each customer bought. The durable state is `customer-products`: key
 * `customerId|stockCode`, value the event time of the first purchase line of it, written once
 * per customer and product (266,222 records for the whole data set, a few bytes each), where
 * one value per customer listing all their products was rewritten on every line (a
 * wholesaler's has over a thousand products). Lookups go to `customer-product-sets`, the same
 * products as one set per customer, derived, in memory and not logged
 * ({@link rebuildCustomerProductSets}): {@link RecommendationPicker} checks up to 20 candidates
 * per purchase there, without building a composite key for each.
 *
 * Forwards a customer's first product purchase (key customer id, value its event time), once
 * per customer: the records of the `customer-first-purchase` table, which
 * `buildRecommendationsTopology` joins the purchases with, so that each reaches the task that
 * holds its customer's products (a join is what co-partitions two inputs).
 */
export class CustomerProductsRecorder implements FixedKeyProcessor<string, CustomerInteraction, number> {
  private context!: FixedKeyProcessorContext<string, number>;
  private products!: KeyValueStore<string, number>;
  private sets!: KeyValueStore<string, Set<string>>;

  constructor(
    private readonly productStore: string,
    private readonly setStore: string,
  ) {}

  init(context: FixedKeyProcessorContext<string, number>): void {
    this.context = context;
    this.products = context.getStateStore<KeyValueStore<string, number>>(this.productStore);
    this.sets = context.getStateStore<KeyValueStore<string, Set<string>>>(this.setStore);
  }

  process(record: FixedKeyRecord<string, CustomerInteraction>): void {
    deriveOnce(this.sets, () => rebuildCustomerProductSets(this.products, this.sets));
    const { key: customerId, value: purchase } = record;
    if (customerId === null || customerId === undefined) return;
    let bought = this.sets.get(customerId);
    if (bought?.has(purchase.stockCode)) return;
    const firstProduct = bought === undefined;
    if (bought === undefined) this.sets.put(customerId, (bought = new Set()));
    bought.add(purchase.stockCode);
    this.products.put(compositeKey(customerId, purchase.stockCode), purchase.timestamp, purchase.timestamp);
    if (firstProduct) this.context.forward(record.withValue(purchase.timestamp));
  }
}

/**
 * Rebuilds `customer-product-sets` from `customer-products` when a task starts with products but
 * no sets (its stores were restored, or opened from disk): the sets are derived and kept in
 * memory only. Does nothing otherwise.
 *
 * @param products `customerId|stockCode` -> event time of the first purchase of it.
 * @param sets Customer id -> the stock codes they bought; filled here.
 */
export function rebuildCustomerProductSets(products: ReadOnlyKeyValueStore<string, number>, sets: KeyValueStore<string, Set<string>>): void {
  if (sets.approximateNumEntries() > 0 || products.approximateNumEntries() === 0) return;
  const rebuilt = new Map<string, Set<string>>();
  for (const [key] of products.all()) {
    const customerId = firstPart(key);
    let bought = rebuilt.get(customerId);
    if (!bought) rebuilt.set(customerId, (bought = new Set()));
    bought.add(secondPart(key));
  }
  for (const [customerId, bought] of rebuilt) sets.put(customerId, bought);
}
