/**
 * The data layer of the examples: the `customer_interactions` event, the Online
 * Retail data set read from its gzip CSV, a replayer in event-time order, and
 * synthetic interactions with labelled fraud for scoring detectors.
 */
export { CsvParser, parseCsvLine, readCsvRecords } from './csv';
export type { CsvRecord } from './csv';

export {
  CUSTOMER_INTERACTIONS_TOPIC,
  customerInteractionIssues,
  customerInteractionSchema,
  lineAmount,
} from './interaction';
export type { CustomerInteraction, InteractionType } from './interaction';
export type { StandardSchemaV1 } from './standardSchema';

export {
  classifyOnlineRetailRow,
  EXTREME_QUANTITY,
  InvoiceDateCache,
  ONLINE_RETAIL_COLUMNS,
  parseInvoiceDate,
  REJECTION_REASONS,
} from './onlineRetailRow';
export type { RejectionReason } from './onlineRetailRow';
export { loadOnlineRetail, ONLINE_RETAIL_PATH, readOnlineRetail, readOnlineRetailBatches } from './onlineRetail';
export type { OnlineRetailData, ParsedRow, ReadOnlineRetailOptions } from './onlineRetail';

export { replayInteractions } from './replayer';
export type { InteractionRecord, InteractionSink, ReplayOptions, ReplaySummary } from './replayer';

export { FRAUD_REASONS } from './fraudAlert';
export type { FraudAlert, FraudReason } from './fraudAlert';
export type { FraudIncident } from './fraudIncident';
export { mulberry32, SeededRandom } from './prng';
export { generateSyntheticInteractions, SYNTHETIC_PROFILE } from './syntheticGenerator';
export type { SyntheticInteractions, SyntheticOptions } from './syntheticGenerator';
export { precisionRecall } from './fraudReport';
export type { DetectionScore, FraudReport, PrecisionRecallOptions } from './fraudReport';
