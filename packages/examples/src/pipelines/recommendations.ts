import { Serdes, StreamsBuilder, Stores, toMillis, type Duration, type KStream, type KTable, type Topology } from '@tributary/core';
import type { CustomerInteraction } from '../data';
import { addBasket, coPurchaseRowSerde, emptyCoPurchaseRow, rankedCandidates, type BasketForProduct, type CoPurchaseCandidate, type CoPurchaseRow } from './coPurchases';
import { InvoiceAssembler, type ClosedInvoice } from './invoiceAssembler';
import { basketSerde, purchaseRefSerde, purchaseWithCandidatesSerde, type PurchaseRef, type PurchaseWithCandidates } from './recommendationSerdes';
import { customerInteractions, RECOMMENDATIONS_TOPIC, type PipelineOptions } from './topics';

/** The co-purchase table's store: stock code -> {@link CoPurchaseRow}. */
export const CO_PURCHASE_COUNTS_STORE = 'co-purchase-counts';
/** Each customer's purchased products: customer id -> {@link PurchasedProducts}. */
export const CUSTOMER_PRODUCTS_STORE = 'customer-products';
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

/** The value of the `customer-products` table: stock code -> purchase lines of it. */
export interface PurchasedProducts {
  products: Record<string, number>;
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
 * both products) maintained as a table, and on each purchase the top-N co-purchased
 * products the customer has not bought yet, emitted to `recommendations`.
 *
 * The topology:
 * 1. Purchases of products (charges such as postage left out), keyed by customer.
 * 2. `customer-products`: every product each customer bought (an aggregate by customer).
 * 3. {@link InvoiceAssembler} groups the lines of each invoice and forwards the basket
 *    once the invoice is complete (no line for `invoiceCloseAfter` of stream time).
 * 4. Each basket goes to every product in it (a flatMap keyed by product, through a
 *    repartition topic), and `co-purchase-counts` adds it: +1 for each pair of the
 *    basket, with each product's ranking kept up to date ({@link CoPurchaseRow}).
 * 5. Each purchase is re-keyed by its product and joined with the co-purchase table (the
 *    product's ranked candidates), re-keyed by customer and joined with
 *    `customer-products`; what the customer already bought is removed and the first
 *    `topN` are the recommendation.
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
 * app.read<string, Recommendation>('recommendations');
 * ```
 *
 * @see InvoiceAssembler
 * @see CoPurchaseRow
 * @param options See {@link RecommendationOptions}.
 * @return The topology.
 */
export function buildRecommendationsTopology(options: RecommendationOptions = {}): Topology {
  const builder = new StreamsBuilder();
  addRecommendations(customerInteractions(builder, options.inputTopic), options);
  return builder.build();
}

/** Adds the recommendation pipeline to a topology that already reads `customer_interactions`. */
export function addRecommendations(
  interactions: KStream<string, CustomerInteraction>,
  options: RecommendationOptions = {},
): KTable<string, CoPurchaseRow> {
  const topN = positiveInteger(options.topN ?? 5, 'topN');
  const candidates = positiveInteger(options.candidates ?? 20, 'candidates');
  const closeAfterMs = toMillis(options.invoiceCloseAfter ?? '1h', 'invoiceCloseAfter');
  const checkEveryMs = toMillis(options.invoiceCheckEvery ?? '30m', 'invoiceCheckEvery');

  const purchases = interactions.filter((_customer, i) => i.type === 'purchase' && isProduct(i.stockCode), { name: 'product-purchases' });

  const purchased = purchases
    .groupByKey({ name: 'purchases-by-customer' })
    .aggregate(emptyPurchasedProducts, addPurchasedProduct, { name: CUSTOMER_PRODUCTS_STORE, valueSerde: Serdes.json<PurchasedProducts>() });

  const coPurchases = purchases
    .process<string, ClosedInvoice>(() => new InvoiceAssembler(OPEN_INVOICES_STORE, closeAfterMs, checkEveryMs), {
      name: 'invoice-assembler',
      stores: [Stores.keyValueStore(OPEN_INVOICES_STORE, { keySerde: Serdes.string(), valueSerde: Serdes.json() })],
    })
    // A basket of one product has no pair to count.
    .flatMap<string, BasketForProduct>(
      (_invoiceNo, invoice) => (invoice.products.length < 2 ? [] : invoice.products.map((product) => [product, { invoiceNo: invoice.invoiceNo, products: invoice.products }] as const)),
      { name: 'basket-per-product' },
    )
    .groupByKey({ name: 'baskets-by-product', keySerde: Serdes.string(), valueSerde: basketSerde })
    .aggregate(emptyCoPurchaseRow, (product, basket, row) => addBasket(product, basket, row, candidates), {
      name: CO_PURCHASE_COUNTS_STORE,
      valueSerde: coPurchaseRowSerde,
    });

  purchases
    .mapValues((p): PurchaseRef => ({ customerId: p.customerId, invoiceNo: p.invoiceNo, stockCode: p.stockCode, timestamp: p.timestamp }), { name: 'purchase-ref' })
    .selectKey((_customer, purchase) => purchase.stockCode, { name: 'purchase-by-product' })
    .join(coPurchases, (purchase, row): PurchaseWithCandidates => ({ ...purchase, ...rankedCandidates(row) }), {
      name: 'purchase-co-purchases',
      keySerde: Serdes.string(),
      valueSerde: purchaseRefSerde,
    })
    .selectKey((_product, purchase) => purchase.customerId, { name: 'candidates-by-customer' })
    .join(purchased, (purchase, bought) => recommend(purchase, bought, topN), {
      name: 'purchase-history',
      keySerde: Serdes.string(),
      valueSerde: purchaseWithCandidatesSerde,
    })
    .filter((_customer, recommendation) => recommendation.recommendations.length > 0, { name: 'non-empty-recommendations' })
    .to(options.outputTopic ?? RECOMMENDATIONS_TOPIC, { name: 'recommendations-sink', keySerde: Serdes.string(), valueSerde: Serdes.json<Recommendation>() });

  return coPurchases;
}

function emptyPurchasedProducts(): PurchasedProducts {
  return { products: {} };
}

/**
 * Adds a purchase to the customer's products. In place, as {@link addBasket} and for the
 * same reason: a wholesaler's list has over a thousand products.
 */
function addPurchasedProduct(_customer: string, purchase: CustomerInteraction, bought: PurchasedProducts): PurchasedProducts {
  bought.products[purchase.stockCode] = (bought.products[purchase.stockCode] ?? 0) + 1;
  return bought;
}

function recommend(purchase: PurchaseWithCandidates, bought: PurchasedProducts, topN: number): Recommendation {
  const recommendations: CoPurchaseCandidate[] = [];
  for (let i = 0; i < purchase.candidates.length && recommendations.length < topN; i++) {
    const stockCode = purchase.candidates[i]!;
    if (bought.products[stockCode] === undefined) recommendations.push({ stockCode, coPurchases: purchase.coPurchases[i]! });
  }
  return { customerId: purchase.customerId, invoiceNo: purchase.invoiceNo, stockCode: purchase.stockCode, recommendations, timestamp: purchase.timestamp };
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer, got ${value}`);
  return value;
}
