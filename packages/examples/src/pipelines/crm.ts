import { StreamsBuilder, type Topology } from '@tributary/core';
import { addFraudDetection, type FraudOptions } from './fraud';
import { addRecommendations, type RecommendationOptions } from './recommendations';
import { addSegmentation, type SegmentationOptions } from './segmentation';
import { customerInteractions, type PipelineOptions } from './topics';

/** Options of {@link buildCrmTopology}: each pipeline's own. */
export interface CrmOptions extends PipelineOptions {
  segmentation?: Omit<SegmentationOptions, 'inputTopic'>;
  recommendations?: Omit<RecommendationOptions, 'inputTopic'>;
  fraud?: Omit<FraudOptions, 'inputTopic'>;
}

/**
 * All three CRM pipelines in one topology, reading `customer_interactions` once:
 * segmentation, recommendations and fraud detection side by side, as one application
 * (`crm_consumer_group`). Each record is deserialized once and handed to the three.
 *
 * @see buildSegmentationTopology
 * @see buildRecommendationsTopology
 * @see buildFraudTopology
 * @param options Options per pipeline.
 * @return The topology.
 */
export function buildCrmTopology(options: CrmOptions = {}): Topology {
  const builder = new StreamsBuilder();
  const interactions = customerInteractions(builder, options.inputTopic);
  addSegmentation(interactions, options.segmentation);
  addRecommendations(interactions, options.recommendations);
  addFraudDetection(interactions, options.fraud);
  return builder.build();
}
