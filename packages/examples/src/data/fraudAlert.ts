/**
 * The kinds of fraud the CRM fraud pipeline looks for, and that the synthetic
 * generator injects:
 *
 * - `velocity`: many purchases within a few minutes.
 * - `amount-anomaly`: a purchase far above the customer's normal spend (z-score).
 * - `country-change`: purchases from two countries too close in time to travel
 *   between them.
 * - `cancellation-burst`: many cancellations within a few minutes.
 */
export const FRAUD_REASONS = ['velocity', 'amount-anomaly', 'country-change', 'cancellation-burst'] as const;

/** One of {@link FRAUD_REASONS}. */
export type FraudReason = (typeof FRAUD_REASONS)[number];

/**
 * What a fraud detector emits: a customer, why it is suspicious and when.
 *
 * An alert is scored against labelled incidents by `precisionRecall`: it is right
 * for a reason when an incident of that customer and reason spans its timestamp.
 */
export interface FraudAlert {
  customerId: string;
  /** Every reason that fired; an alert may carry several. */
  reasons: FraudReason[];
  /** Event time of the alert: the timestamp of the record that raised it (epoch ms). */
  timestamp: number;
  /** Evidence for a human, e.g. `{ count: 12, windowMs: 300000 }` or `{ zScore: 9.4 }`. */
  details?: Record<string, unknown>;
}
