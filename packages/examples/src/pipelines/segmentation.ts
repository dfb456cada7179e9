import { Serdes, StreamsBuilder, Stores, toMillis, type Duration, type KStream, type Topology } from '@tributary/core';
import type { CustomerInteraction } from '../data';
import { rfmProfileSerde, type RfmProfile } from './rfm';
import { RfmProfiler } from './rfmProfiler';
import { SegmentTracker } from './segmentTracker';
import { DEFAULT_SEGMENT_RULES, type SegmentChange, type SegmentRules } from './segments';
import { CUSTOMER_SEGMENTS_TOPIC, customerInteractions, type PipelineOptions } from './topics';

/** The store of the RFM profiles (customer id -> {@link RfmProfile}), for `driver.getKeyValueStore` and `app.store`. */
export const RFM_PROFILES_STORE = 'rfm-profiles';
/** The purchase invoices counted in each profile's frequency: `customerId|invoiceNo` -> event time of its first line. */
export const CUSTOMER_INVOICES_STORE = 'customer-invoices';
/** The store of each customer's current segment. */
export const CUSTOMER_SEGMENTS_STORE = 'customer-segments';

/** Options of {@link buildSegmentationTopology}. */
export interface SegmentationOptions extends PipelineOptions {
  /** Thresholds of the segment rules. Defaults to {@link DEFAULT_SEGMENT_RULES}. */
  rules?: Partial<SegmentRules>;
  /** How often (event time) every customer's segment is re-evaluated as recency grows. Defaults to `'1d'`. */
  reevaluateEvery?: Duration;
  /** The output topic. Defaults to `customer_segments`. */
  outputTopic?: string;
}

/**
 * Real-time customer segmentation: a per-customer RFM profile kept in a store, segment
 * rules applied on every change, and a record on `customer_segments` only when a
 * customer's segment changes.
 *
 * The topology:
 * 1. `customer_interactions`, keyed by customer (so no repartition), folded by
 *    {@link RfmProfiler} into `rfm-profiles` ({@link RfmProfile}: distinct invoices,
 *    net spend, first and last purchase), the invoices counted kept in `customer-invoices`.
 * 2. Every profile update goes through {@link SegmentTracker}, which classifies the
 *    customer with recency measured against the task's stream time (event time: the
 *    largest record timestamp seen, so a replay of 2011 data judges recency in 2011),
 *    remembers the segment in `customer-segments`, and forwards a {@link SegmentChange}
 *    when it differs. Once a day of stream time it re-evaluates every customer, so
 *    customers who stop buying drift to At Risk and Lost without a new record.
 *
 * Segment rules: see {@link classifySegment} and the package README.
 *
 * ## Example
 * ```ts
 * import { buildSegmentationTopology } from '@tributary/examples';
 * import { TopologyTestDriver } from '@tributary/core/testing';
 *
 * using driver = new TopologyTestDriver(buildSegmentationTopology());
 * driver.createInputTopic('customer_interactions').pipeInput('17850', interaction, interaction.timestamp);
 * driver.createOutputTopic('customer_segments').readValue(); // { customerId: '17850', segment: 'New', ... }
 * ```
 *
 * @param options See {@link SegmentationOptions}.
 * @return The topology, for `new EmbeddedStreams(...)`, `new KafkaStreams(...)` or a test driver.
 */
export function buildSegmentationTopology(options: SegmentationOptions = {}): Topology {
  const builder = new StreamsBuilder();
  addSegmentation(customerInteractions(builder, options.inputTopic), options);
  return builder.build();
}

/** Adds the segmentation pipeline to a topology that already reads `customer_interactions`. */
export function addSegmentation(interactions: KStream<string, CustomerInteraction>, options: SegmentationOptions = {}): void {
  const rules: SegmentRules = { ...DEFAULT_SEGMENT_RULES, ...options.rules };
  const reevaluateEveryMs = toMillis(options.reevaluateEvery ?? '1d', 'reevaluateEvery');
  interactions
    .process<string, RfmProfile>(() => new RfmProfiler(RFM_PROFILES_STORE, CUSTOMER_INVOICES_STORE), {
      name: RFM_PROFILES_STORE,
      stores: [
        Stores.keyValueStore(RFM_PROFILES_STORE, { keySerde: Serdes.string(), valueSerde: rfmProfileSerde, caching: true }),
        Stores.keyValueStore(CUSTOMER_INVOICES_STORE, { keySerde: Serdes.string(), valueSerde: Serdes.json<number>(), caching: true }),
      ],
    })
    .process<string, SegmentChange>(() => new SegmentTracker(RFM_PROFILES_STORE, CUSTOMER_SEGMENTS_STORE, rules, reevaluateEveryMs), {
      name: 'segment-tracker',
      stores: [Stores.keyValueStore(CUSTOMER_SEGMENTS_STORE, { keySerde: Serdes.string(), valueSerde: Serdes.json(), caching: true }), RFM_PROFILES_STORE],
    })
    .to(options.outputTopic ?? CUSTOMER_SEGMENTS_TOPIC, { name: 'customer-segments-sink', keySerde: Serdes.string(), valueSerde: Serdes.json<SegmentChange>() });
}
