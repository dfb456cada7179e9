import { Serdes, type KStream, type StreamsBuilder } from '@tributary/core';
import { CUSTOMER_INTERACTIONS_TOPIC, customerInteractionSchema, type CustomerInteraction } from '../data';

/** The consumer group (application id) of the CRM pipelines, as in the original article. */
export const CRM_APPLICATION_ID = 'crm_consumer_group';

/** Segment changes of the segmentation pipeline, keyed by customer. */
export const CUSTOMER_SEGMENTS_TOPIC = 'customer_segments';

/** Recommendations of the recommendation pipeline, keyed by customer. */
export const RECOMMENDATIONS_TOPIC = 'recommendations';

/** Alerts of the fraud pipeline, keyed by customer. */
export const FRAUD_ALERTS_TOPIC = 'fraud_alerts';

export { CUSTOMER_INTERACTIONS_TOPIC };

/** One day in milliseconds: recency is counted in whole days. */
export const DAY_MS = 86_400_000;

/**
 * Reads `customer_interactions` (key: customer id, value: a JSON
 * {@link CustomerInteraction}). A value that is not a CustomerInteraction is a
 * deserialization error (the application's handler decides), never a crash in a pipeline.
 */
export function customerInteractions(builder: StreamsBuilder, topic: string = CUSTOMER_INTERACTIONS_TOPIC): KStream<string, CustomerInteraction> {
  return builder.stream<string, CustomerInteraction>(topic, {
    name: 'customer-interactions',
    keySerde: Serdes.string(),
    valueSerde: Serdes.json(customerInteractionSchema),
  });
}

/** Options every pipeline builder takes. */
export interface PipelineOptions {
  /** The input topic. Defaults to `customer_interactions`. */
  inputTopic?: string;
}
