import type { Topology } from '@tributary/core';
import { buildCrmTopology } from './crm';
import { buildFraudTopology } from './fraud';
import { buildRecommendationsTopology } from './recommendations';
import { buildSegmentationTopology } from './segmentation';
import { CUSTOMER_SEGMENTS_TOPIC, FRAUD_ALERTS_TOPIC, RECOMMENDATIONS_TOPIC } from './topics';

/** A runnable example: what the CLI's `describe` and `run` know about a topology. */
export interface Example {
  readonly name: string;
  readonly summary: string;
  /** The topics it writes, read back for the run's summary. */
  readonly outputTopics: readonly string[];
  build(): Topology;
}

/** The examples by name: the three pipelines, and `crm`, all three in one application. */
export const EXAMPLES: readonly Example[] = [
  {
    name: 'segmentation',
    summary: 'RFM profile per customer as a table; segment changes to customer_segments',
    outputTopics: [CUSTOMER_SEGMENTS_TOPIC],
    build: () => buildSegmentationTopology(),
  },
  {
    name: 'recommendations',
    summary: 'co-purchase counts as a table; top-N products not yet bought, per purchase, to recommendations',
    outputTopics: [RECOMMENDATIONS_TOPIC],
    build: () => buildRecommendationsTopology(),
  },
  {
    name: 'fraud',
    summary: 'velocity in hopping windows, amount z-score, country change, cancellation bursts; alerts to fraud_alerts',
    outputTopics: [FRAUD_ALERTS_TOPIC],
    build: () => buildFraudTopology(),
  },
  {
    name: 'crm',
    summary: 'the three pipelines in one application, reading customer_interactions once (what the demo runs)',
    outputTopics: [CUSTOMER_SEGMENTS_TOPIC, RECOMMENDATIONS_TOPIC, FRAUD_ALERTS_TOPIC],
    build: () => buildCrmTopology(),
  },
];

/** The example called `name`, or `undefined`. */
export function exampleNamed(name: string): Example | undefined {
  return EXAMPLES.find((e) => e.name === name);
}
