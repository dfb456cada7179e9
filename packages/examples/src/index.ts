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
export { buildSegmentationTopology, addSegmentation, RFM_PROFILES_STORE, CUSTOMER_SEGMENTS_STORE, type SegmentationOptions } from './pipelines/segmentation';
export { addToRfmProfile, emptyRfmProfile, recencyDays, tenureDays, type RfmProfile } from './pipelines/rfm';
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
  CO_PURCHASE_COUNTS_STORE,
  CUSTOMER_PRODUCTS_STORE,
  OPEN_INVOICES_STORE,
  type Recommendation,
  type RecommendationOptions,
  type PurchasedProducts,
} from './pipelines/recommendations';
export { addBasket, coPurchaseRowSerde, CoPurchaseRow, emptyCoPurchaseRow, rankedCandidates, type CoPurchaseCandidate, type BasketForProduct } from './pipelines/coPurchases';
export { InvoiceAssembler, type OpenInvoice, type ClosedInvoice } from './pipelines/invoiceAssembler';
export {
  buildFraudTopology,
  addFraudDetection,
  FRAUD_STORES,
  type FraudOptions,
  type WindowRule,
  type InvoicesInWindow,
  type PurchaseLocation,
} from './pipelines/fraud';
export { addAmount, emptyAmountStats, stdDev, DEFAULT_AMOUNT_ANOMALY_RULES, type AmountStats, type AmountVerdict, type AmountAnomalyRules } from './pipelines/amountStats';
export { AlertCooldown, type LastAlerts } from './pipelines/alertCooldown';
export { buildCrmTopology, type CrmOptions } from './pipelines/crm';
export { EXAMPLES, exampleNamed, type Example } from './pipelines/examples';
