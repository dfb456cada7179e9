import type { FraudReason } from './fraudAlert';

/**
 * A ground-truth label: one injected fraud incident of one customer, the events
 * that make it up and the event-time span they cover.
 *
 * An alert for the same customer and reason whose timestamp falls in
 * `[start - tolerance, end + tolerance]` detects it (see `precisionRecall`).
 */
export interface FraudIncident {
  /** Unique: `${customerId}/${reason}/${start}`. */
  id: string;
  customerId: string;
  reason: FraudReason;
  /** Timestamp of the first event of the incident (epoch ms). */
  start: number;
  /** Timestamp of the last event of the incident; `start` for a single event. */
  end: number;
  /**
   * The events of the incident, in time order. For `country-change` the first is
   * the purchase at home and the second the one abroad.
   */
  eventIds: string[];
}
