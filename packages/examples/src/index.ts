// The public API of @tributary/examples: the data layer and the three CRM pipelines.
// The embedded engine they run on is @tributary/core/embedded.
// The data layer's exports are listed by name in ./data/index.ts (the tests import it too).
export * from './data';

export {
  CRM_APPLICATION_ID,
  CUSTOMER_INTERACTIONS_TOPIC,
  CUSTOMER_SEGMENTS_TOPIC,
  RECOMMENDATIONS_TOPIC,
  FRAUD_ALERTS_TOPIC,
  customerInteractions,
  type PipelineOptions,
} from './pipelines/topics';
export { buildSegmentationTopology, addSegmentation, RFM_PROFILES_STORE, CUSTOMER_INVOICES_STORE, CUSTOMER_SEGMENTS_STORE, type SegmentationOptions } from './pipelines/segmentation';
export { addToRfmProfile, emptyRfmProfile, recencyDays, tenureDays, rfmProfileSerde, type RfmProfile } from './pipelines/rfm';
export { RfmProfiler } from './pipelines/rfmProfiler';
export {
  SEGMENTS,
  DEFAULT_SEGMENT_RULES,
  classifySegment,
  rfmValues,
  type Segment,
  type SegmentChange,
  type SegmentRules,
  type RfmValues,
} from './pipelines/segments';
export { SegmentTracker } from './pipelines/segmentTracker';
export {
  buildRecommendationsTopology,
  addRecommendations,
  isProduct,
  NON_PRODUCT_STOCK_CODES,
  CO_PURCHASE_BASKETS_STORE,
  CO_PURCHASE_COUNTS_STORE,
  CUSTOMER_FIRST_PURCHASE_STORE,
  CUSTOMER_PRODUCTS_STORE,
  CUSTOMER_PRODUCT_SETS_STORE,
  OPEN_INVOICES_STORE,
  type Recommendation,
  type RecommendationOptions,
} from './pipelines/recommendations';
export {
  addBasket,
  CoPurchaseRow,
  emptyCoPurchaseRow,
  partnersOf,
  rankedCandidates,
  rebuildCoPurchaseCounts,
  type CoPurchaseCandidate,
  type BasketForProduct,
  type BasketPartners,
} from './pipelines/coPurchases';
export { CoPurchaseCounter } from './pipelines/coPurchaseCounter';
export { CoPurchaseLookup } from './pipelines/coPurchaseLookup';
export { CustomerProductsRecorder, rebuildCustomerProductSets } from './pipelines/customerProductsRecorder';
export { RecommendationPicker } from './pipelines/recommendationPicker';
export { compositeKey, firstPart, secondPart, keysStartingWith, KEY_SEPARATOR } from './pipelines/compositeKey';
export { InvoiceAssembler, openInvoiceSerde, type OpenInvoice, type ClosedInvoice } from './pipelines/invoiceAssembler';
export { buildFraudTopology, addFraudDetection, FRAUD_STORES, type FraudOptions } from './pipelines/fraud';
export { InvoiceBurstDetector, recentInvoicesSerde, type WindowRule, type RecentInvoices, type InvoiceAt } from './pipelines/invoiceBurstDetector';
export { CountryChangeDetector, purchaseLocationSerde, type PurchaseLocation } from './pipelines/countryChangeDetector';
export {
  addAmount,
  amountStatsSerde,
  emptyAmountStats,
  stdDev,
  DEFAULT_AMOUNT_ANOMALY_RULES,
  type AmountStats,
  type AmountVerdict,
  type AmountAnomalyRules,
} from './pipelines/amountStats';
export { AlertCooldown, type LastAlerts } from './pipelines/alertCooldown';
export { buildCrmTopology, type CrmOptions } from './pipelines/crm';
export { EXAMPLES, exampleNamed, type Example } from './pipelines/examples';
