import type { KeyValueStore, Processor, ProcessorContext, StreamRecord } from '@tributary/core';
import type { RfmProfile } from './rfm';
import { classifySegment, rfmValues, type Segment, type SegmentChange, type SegmentRules } from './segments';

/**
 * Turns RFM profile updates into segment changes: applies the segment rules to every
 * profile update and forwards a {@link SegmentChange} only when the customer's segment
 * differs from the one remembered in `segmentStore`.
 *
 * Why a processor and not `KTable.mapValues`: a segment depends on recency, which
 * changes as time passes even when the customer does nothing (a Champion who stops
 * buying becomes At Risk, then Lost). So besides reacting to updates, a stream-time
 * punctuator re-evaluates every known customer each `reevaluateEveryMs` of event time,
 * reading the profiles from `profileStore`; the DSL has no operator that wakes up on time.
 */
export class SegmentTracker implements Processor<string, RfmProfile, string, SegmentChange> {
  private context!: ProcessorContext<string, SegmentChange>;
  private profiles!: KeyValueStore<string, RfmProfile>;
  private segments!: KeyValueStore<string, Segment>;

  constructor(
    private readonly profileStore: string,
    private readonly segmentStore: string,
    private readonly rules: SegmentRules,
    private readonly reevaluateEveryMs: number,
  ) {}

  init(context: ProcessorContext<string, SegmentChange>): void {
    this.context = context;
    this.profiles = context.getStateStore<KeyValueStore<string, RfmProfile>>(this.profileStore);
    this.segments = context.getStateStore<KeyValueStore<string, Segment>>(this.segmentStore);
    context.schedule(this.reevaluateEveryMs, 'stream-time', (now) => this.reevaluateAll(now));
  }

  process(record: StreamRecord<string, RfmProfile | null>): void {
    if (record.value === null) return;
    this.evaluate(record.key, record.value, this.context.streamTime());
  }

  private reevaluateAll(now: number): void {
    for (const [customerId] of this.segments.all()) {
      const profile = this.profiles.get(customerId);
      if (profile) this.evaluate(customerId, profile, now);
    }
  }

  private evaluate(customerId: string, profile: RfmProfile, now: number): void {
    const values = rfmValues(profile, now);
    if (values === null) return; // no purchase yet: no segment
    const segment = classifySegment(values, this.rules);
    const previous = this.segments.get(customerId) ?? null;
    if (segment === previous) return;
    this.segments.put(customerId, segment, now);
    this.context.forward({
      key: customerId,
      value: {
        customerId,
        segment,
        previousSegment: previous,
        recencyDays: values.recencyDays,
        frequency: values.frequency,
        monetary: values.monetary,
        timestamp: now,
      },
      timestamp: now,
    });
  }
}
