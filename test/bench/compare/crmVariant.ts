// The `crm` variant of `pnpm bench:compare` (issue 10, item 2): the whole CRM application of
// packages/examples (`buildCrmTopology`: segmentation, recommendations and fraud detection) on
// the Online Retail interactions the demo replays, against its Kafka Streams twin
// (tools/kafka-streams-bench/src/main/java/crm/CrmTopology.java).
import { ErrorHandlers, type Topology } from '@tributary/core';
import { buildCrmTopology, CUSTOMER_SEGMENTS_TOPIC, FRAUD_ALERTS_TOPIC, RECOMMENDATIONS_TOPIC } from '@tributary/examples';
import type { KafkaStreamsOptions } from '@tributary/kafka';
import type { VariantTopics } from './topologies';

/**
 * Partitions of the CRM input, its output topics and so its repartition topics: the demo's
 * default (`runExample`), so that the outputs compare with the demo's runs on Kafka
 * (BENCHMARKS.md, "The CRM demo on Kafka"); the synthetic variants use 8.
 */
export const CRM_PARTITIONS = 4;

/**
 * Settings of the CRM input and output topics: no time-based retention. The records carry
 * their 2010-2011 event times, and with the broker's default (7 days) it would delete them
 * during the run (the demo creates its topics the same way, `KafkaRunner.prepareTopics`).
 */
export const CRM_TOPIC_CONFIG: Readonly<Record<string, string>> = { 'retention.ms': '-1' };

/**
 * The three output topics of one run: the example's names (`customer_segments`,
 * `recommendations`, `fraud_alerts`) behind the run's output name, so each run writes fresh
 * topics. The Java twin derives the same names from `--output` (CrmTopology.java).
 */
export function crmOutputTopics(output: string): { segments: string; recommendations: string; fraudAlerts: string } {
  return {
    segments: `${output}-${CUSTOMER_SEGMENTS_TOPIC}`,
    recommendations: `${output}-${RECOMMENDATIONS_TOPIC}`,
    fraudAlerts: `${output}-${FRAUD_ALERTS_TOPIC}`,
  };
}

/** The CRM application reading `topics.input` and writing `crmOutputTopics(topics.output)`, every option else the example's default. */
export function crmTopology(topics: VariantTopics): Topology {
  const outputs = crmOutputTopics(topics.output);
  return buildCrmTopology({
    inputTopic: topics.input,
    segmentation: { outputTopic: outputs.segments },
    recommendations: { outputTopic: outputs.recommendations },
    fraud: { outputTopic: outputs.fraudAlerts },
  });
}

/**
 * The options the CRM demo gives its application on Kafka beyond the harness's (`runExample`): a
 * value that is not an interaction is logged and skipped, not fatal. The Java twin sets
 * `LogAndContinueExceptionHandler`. (The demo's one-second commits are the harness's default.)
 */
export function crmApplicationOptions(): Partial<KafkaStreamsOptions> {
  return { deserializationErrorHandler: ErrorHandlers.logAndContinue() };
}
