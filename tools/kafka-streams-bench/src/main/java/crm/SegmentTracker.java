package crm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns profile updates into segment changes (segmentTracker.ts): classifies each update at
 * the task's stream time and forwards a {@link SegmentChange} when the segment differs from
 * the one in `customer-segments`; once a day of stream time it re-evaluates every known
 * customer (recency grows without records), reading the profiles from `rfm-profiles`.
 */
public final class SegmentTracker implements Processor<String, RfmProfile, String, SegmentChange> {
  private final String profileStore;
  private final String segmentStore;
  private final Duration reevaluateEvery;
  private ProcessorContext<String, SegmentChange> context;
  private KeyValueStore<String, RfmProfile> profiles;
  private KeyValueStore<String, String> segments;

  public SegmentTracker(String profileStore, String segmentStore, Duration reevaluateEvery) {
    this.profileStore = profileStore;
    this.segmentStore = segmentStore;
    this.reevaluateEvery = reevaluateEvery;
  }

  @Override
  public void init(ProcessorContext<String, SegmentChange> context) {
    this.context = context;
    this.profiles = context.getStateStore(profileStore);
    this.segments = context.getStateStore(segmentStore);
    context.schedule(reevaluateEvery, PunctuationType.STREAM_TIME, this::reevaluateAll);
  }

  @Override
  public void process(Record<String, RfmProfile> record) {
    if (record.value() == null) return;
    evaluate(record.key(), record.value(), context.currentStreamTimeMs());
  }

  private void reevaluateAll(long now) {
    // Read the keys first: evaluate() writes the store being iterated.
    List<String> customers = new ArrayList<>();
    try (KeyValueIterator<String, String> all = segments.all()) {
      while (all.hasNext()) {
        KeyValue<String, String> entry = all.next();
        customers.add(entry.key);
      }
    }
    for (String customerId : customers) {
      RfmProfile profile = profiles.get(customerId);
      if (profile != null) evaluate(customerId, profile, now);
    }
  }

  private void evaluate(String customerId, RfmProfile profile, long now) {
    String segment = Segments.classify(profile, now);
    if (segment == null) return; // no purchase yet: no segment
    String previous = segments.get(customerId);
    if (segment.equals(previous)) return;
    segments.put(customerId, segment);
    SegmentChange change = new SegmentChange(customerId, segment, previous, profile.recencyDays(now), profile.frequency(), profile.monetary(), now);
    context.forward(new Record<>(customerId, change, now));
  }
}
