import { Serdes, StreamsBuilder, Stores, toMillis, type Duration, type KStream, type Topology } from '@tributary/core';
import type { CustomerInteraction } from '../data';
import { CoPurchaseCounter } from './coPurchaseCounter';
import { CoPurchaseLookup } from './coPurchaseLookup';
import type { BasketForProduct, CoPurchaseCandidate } from './coPurchases';
import { CustomerProductsRecorder } from './customerProductsRecorder';
import { InvoiceAssembler, openInvoiceSerde, type ClosedInvoice } from './invoiceAssembler';
import { RecommendationPicker } from './recommendationPicker';
import { basketSerde, purchaseRefSerde, purchaseWithCandidatesSerde, type PurchaseRef, type PurchaseWithCandidates } from './recommendationSerdes';
import { customerInteractions, RECOMMENDATIONS_TOPIC, type PipelineOptions } from './topics';

/** The complete baskets each product was in: `stockCode|invoiceNo` -> the other products of the basket, tab-separated ({@link BasketPartners}). Logged. */
export const CO_PURCHASE_BASKETS_STORE = 'co-purchase-baskets';
/** Each product's co-purchase counts and ranking: stock code -> {@link CoPurchaseRow}. In memory, derived from {@link CO_PURCHASE_BASKETS_STORE}. */
export const CO_PURCHASE_COUNTS_STORE = 'co-purchase-counts';
/** The products each customer bought: `customerId|stockCode` -> event time of the first purchase of it. */
export const CUSTOMER_PRODUCTS_STORE = 'customer-products';
/** The same as one set of stock codes per customer, for lookups: in memory, derived from {@link CUSTOMER_PRODUCTS_STORE}. */
export const CUSTOMER_PRODUCT_SETS_STORE = 'customer-product-sets';
/** The customers who bought a product: customer id -> event time of their first product purchase. */
export const CUSTOMER_FIRST_PURCHASE_STORE = 'customer-first-purchase';
/** Invoices still being assembled. */
export const OPEN_INVOICES_STORE = 'open-invoices';

/**
 * Stock codes that are charges, not products (postage, carriage, manual adjustments,
 * discounts, fees): left out of baskets, so never counted or recommended.
 */
export const NON_PRODUCT_STOCK_CODES: ReadonlySet<string> = new Set(['POST', 'DOT', 'C2', 'M', 'D', 'S', 'B', 'CRUK', 'BANK CHARGES', 'AMAZONFEE']);

/** Whether an interaction's stock code is a product (see {@link NON_PRODUCT_STOCK_CODES}). */
export function isProduct(stockCode: string): boolean {
  return !NON_PRODUCT_STOCK_CODES.has(stockCode);
}

/** A value of the `recommendations` topic. */
export interface Recommendation {
  customerId: string;
  /** The purchase that prompted it: its invoice and product. */
  invoiceNo: string;
  stockCode: string;
  /** Up to `topN` products often bought with `stockCode` that the customer never bought, best first. */
  recommendations: CoPurchaseCandidate[];
  timestamp: number;
}

/** Options of {@link buildRecommendationsTopology}. */
export interface RecommendationOptions extends PipelineOptions {
  /** Products per recommendation. Defaults to `5`. */
  topN?: number;
  /**
   * Ranked co-purchased products kept per product and considered per purchase. The
   * products the customer already bought are removed from these, so a customer who
   * bought more than `candidates - topN` of them gets fewer than `topN`. Defaults to `20`.
   */
  candidates?: number;
  /** An invoice counts once no line of it came for this long (stream time). Defaults to `'1h'`. */
  invoiceCloseAfter?: Duration;
  /** How often (stream time) open invoices are checked. Defaults to `'30m'`. */
  invoiceCheckEvery?: Duration;
  /** The output topic. Defaults to `recommendations`. */
  outputTopic?: string;
}

/**
 * Personalized recommendations: product co-purchase counts (how many invoices contained
 * both products), and on each purchase the top-N co-purchased products the customer has not
 * bought yet, emitted to `recommendations`.
 *
 * The topology:
 * 1. Purchases of products (charges such as postage left out), keyed by customer.
 * 2. `customer-products`: one entry per customer and product bought, with a set per customer
 *    derived from it for lookups ({@link CustomerProductsRecorder}), and the table
 *    `customer-first-purchase`: one entry per customer who bought a product.
 * 3. {@link InvoiceAssembler} groups the lines of each invoice and forwards the basket
 *    once the invoice is complete (no line for `invoiceCloseAfter` of stream time).
 * 4. Each basket goes to every product in it (a flatMap keyed by product, through a
 *    repartition topic), and {@link CoPurchaseCounter} keeps it in `co-purchase-baskets`
 *    (`product|invoiceNo`) and adds it to the product's {@link CoPurchaseRow} in
 *    `co-purchase-counts`: +1 for each other product, the ranking kept up to date.
 * 5. Each purchase is re-keyed by its product and meets the product's ranked candidates
 *    ({@link CoPurchaseLookup}, in the same task as the counter), is re-keyed by customer and
 *    joined with `customer-first-purchase` (which brings it to its customer's task), and
 *    {@link RecommendationPicker} removes what the customer already bought: the first `topN`
 *    left are the recommendation.
 *
 * Counts include complete invoices only, so a purchase is never recommended the
 * products of its own basket on the strength of that basket alone.
 *
 * ## Example
 * ```ts
 * import { EmbeddedStreams } from '@tributary/core/embedded';
 * import { buildRecommendationsTopology } from '@tributary/examples';
 *
 * const app = new EmbeddedStreams(buildRecommendationsTopology({ topN: 3 }), { applicationId: 'crm_consumer_group' });
 * await app.start();
 * // ...produce customer_interactions, then:
 * app.store<string, CoPurchaseRow>('co-purchase-counts').get('85123A')?.top; // the 20 products most bought with it
 * app.store<string, string>('co-purchase-baskets').range(...keysStartingWith('85123A')); // the baskets it was in (partnersOf(value))
 * app.read<string, Recommendation>('recommendations');
 * ```
 *
 * @see InvoiceAssembler
 * @see CoPurchaseCounter
 * @param options See {@link RecommendationOptions}.
 * @return The topology.
 */
export function buildRecommendationsTopology(options: RecommendationOptions = {}): Topology {
  const builder = new StreamsBuilder();
  addRecommendations(customerInteractions(builder, options.inputTopic), options);
  return builder.build();
}

/** Adds the recommendation pipeline to a topology that already reads `customer_interactions`. */
export function addRecommendations(interactions: KStream<string, CustomerInteraction>, options: RecommendationOptions = {}): void {
  const topN = positiveInteger(options.topN ?? 5, 'topN');
  const candidates = positiveInteger(options.candidates ?? 20, 'candidates');
  const closeAfterMs = toMillis(options.invoiceCloseAfter ?? '1h', 'invoiceCloseAfter');
  const checkEveryMs = toMillis(options.invoiceCheckEvery ?? '30m', 'invoiceCheckEvery');

  const purchases = interactions.filter((_customer, i) => i.type === 'purchase' && isProduct(i.stockCode), { name: 'product-purchases' });

  const customers = purchases
    .processValues<number>(() => new CustomerProductsRecorder(CUSTOMER_PRODUCTS_STORE, CUSTOMER_PRODUCT_SETS_STORE), {
      name: CUSTOMER_PRODUCTS_STORE,
      stores: [
        Stores.keyValueStore(CUSTOMER_PRODUCTS_STORE, { keySerde: Serdes.string(), valueSerde: Serdes.json<number>(), caching: true }),
        // Derived from customer-products, so in memory and not logged (rebuilt after a restore).
        Stores.keyValueStore(CUSTOMER_PRODUCT_SETS_STORE, { type: 'inMemory', logging: false }),
      ],
    })
    .toTable({ name: CUSTOMER_FIRST_PURCHASE_STORE, keySerde: Serdes.string(), valueSerde: Serdes.json<number>() });

  const coPurchaseStores = [
    Stores.keyValueStore(CO_PURCHASE_BASKETS_STORE, { keySerde: Serdes.string(), valueSerde: Serdes.string(), caching: true }),
    // Derived from the baskets, so in memory and not logged (CoPurchaseCounter rebuilds it after a restore).
    Stores.keyValueStore(CO_PURCHASE_COUNTS_STORE, { type: 'inMemory', logging: false }),
  ];
  purchases
    .process<string, ClosedInvoice>(() => new InvoiceAssembler(OPEN_INVOICES_STORE, closeAfterMs, checkEveryMs), {
      name: 'invoice-assembler',
      stores: [Stores.keyValueStore(OPEN_INVOICES_STORE, { keySerde: Serdes.string(), valueSerde: openInvoiceSerde, caching: true })],
    })
    // A basket of one product has no pair to count.
    .flatMap<string, BasketForProduct>(
      (_invoiceNo, invoice) => (invoice.products.length < 2 ? [] : invoice.products.map((product) => [product, { invoiceNo: invoice.invoiceNo, products: invoice.products }] as const)),
      { name: 'basket-per-product' },
    )
    .repartition({ name: 'baskets-by-product', keySerde: Serdes.string(), valueSerde: basketSerde })
    .process(() => new CoPurchaseCounter(CO_PURCHASE_BASKETS_STORE, CO_PURCHASE_COUNTS_STORE, candidates), { name: 'co-purchase-counter', stores: coPurchaseStores });

  purchases
    .mapValues((p): PurchaseRef => ({ customerId: p.customerId, invoiceNo: p.invoiceNo, stockCode: p.stockCode, timestamp: p.timestamp }), { name: 'purchase-ref' })
    .selectKey((_customer, purchase) => purchase.stockCode, { name: 'purchase-by-product' })
    .repartition({ name: 'purchase-co-purchases', keySerde: Serdes.string(), valueSerde: purchaseRefSerde })
    .process<string, PurchaseWithCandidates>(() => new CoPurchaseLookup(CO_PURCHASE_BASKETS_STORE, CO_PURCHASE_COUNTS_STORE, candidates), {
      name: 'purchase-co-purchases',
      stores: [CO_PURCHASE_BASKETS_STORE, CO_PURCHASE_COUNTS_STORE],
    })
    .selectKey((_product, purchase) => purchase.customerId, { name: 'candidates-by-customer' })
    // Through a repartition topic co-partitioned with the customers table: to the customer's task.
    .join(customers, (purchase) => purchase, { name: 'purchase-history', keySerde: Serdes.string(), valueSerde: purchaseWithCandidatesSerde })
    .process<string, Recommendation>(() => new RecommendationPicker(CUSTOMER_PRODUCTS_STORE, CUSTOMER_PRODUCT_SETS_STORE, topN), {
      name: 'recommendation-picker',
      stores: [CUSTOMER_PRODUCTS_STORE, CUSTOMER_PRODUCT_SETS_STORE],
    })
    .filter((_customer, recommendation) => recommendation.recommendations.length > 0, { name: 'non-empty-recommendations' })
    .to(options.outputTopic ?? RECOMMENDATIONS_TOPIC, { name: 'recommendations-sink', keySerde: Serdes.string(), valueSerde: Serdes.json<Recommendation>() });
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer, got ${value}`);
  return value;
}
