import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.CogroupedKStream;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.state.KeyValueStore;

/** Reference topologies: cogroup (their TypeScript twins: test/reference/cogroup/topologies.ts). */
final class CogroupTopologies {
  private CogroupTopologies() {}

  private static final Serde<String> STRING = Reference.STRING;
  private static final Serde<Long> LONG = Reference.LONG;

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  static void register() {
    // Two streams folded into one string per key: which input each part came from.
    Reference.define("cogroup-two-streams", b -> {
      KGroupedStream<String, String> left = b.<String, String>stream("left").groupByKey();
      KGroupedStream<String, String> right = b.<String, String>stream("right").groupByKey();
      left
          .cogroup((String k, String v, String agg) -> agg + "L" + v)
          .cogroup(right, (k, v, agg) -> agg + "R" + v)
          .aggregate(() -> "")
          .toStream()
          .to("cogrouped");
    }).strings("cogrouped");

    // Three inputs, two of them re-keyed (an unnamed groupBy: the topic is named after the store;
    // a named grouping: after its name), weighted so each input shows; a second aggregation of the
    // same cogroup reuses the repartition topics.
    Reference.define("cogroup-three-streams", b -> {
      KGroupedStream<String, String> clicks = b.<String, String>stream("clicks").groupByKey();
      KGroupedStream<String, String> views = b.<String, String>stream("views").groupBy((k, v) -> v);
      KGroupedStream<String, String> refs = b.<String, String>stream("refs")
          .selectKey((k, v) -> k == null ? null : k.toUpperCase(Locale.ROOT))
          .groupByKey(Grouped.as("refs-by-key"));
      CogroupedKStream<String, Long> weighted = clicks
          .cogroup((String k, String v, Long n) -> n + 1)
          .cogroup(views, (k, v, n) -> n + 100)
          .cogroup(refs, (k, v, n) -> n + 10000);
      weighted.aggregate(() -> 0L, Materialized.with(STRING, LONG)).toStream().to("weighted", Produced.with(STRING, LONG));
      // Kafka Streams draws generated names for named cogroup processors too (README: "Named operations
      // do not use up a generated index"), so everything after a named one is named.
      weighted
          .aggregate(() -> 5L, Named.as("again"), Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("again").withValueSerde(LONG))
          .toStream(Named.as("again-stream"))
          .to("again", Produced.with(STRING, LONG).withName("again-sink"));
    }).longs("weighted", "again");

    // The cogrouped table downstream: filter, mapValues, a stream-table join against it, and a
    // re-grouping that needs old values.
    Reference.define("cogroup-table-ops", b -> {
      KGroupedStream<String, String> firsts = b.<String, String>stream("firsts").groupByKey();
      KGroupedStream<String, String> lengths = b.<String, String>stream("lengths").groupByKey();
      KTable<String, String> table = firsts
          .cogroup((String k, String v, String agg) -> agg + v.substring(0, 1))
          .cogroup(lengths, (k, v, agg) -> agg + v.length())
          .aggregate(() -> "");
      table.filter((k, v) -> v.length() % 2 == 0).mapValues(v -> v.toUpperCase(Locale.ROOT)).toStream().to("even");
      b.<String, String>stream("lookups").join(table, Reference::joined).to("joined");
      table
          .groupBy((k, v) -> KeyValue.pair(String.valueOf(v.length() % 3), v))
          .count()
          .toStream()
          .to("by-length", Produced.with(STRING, LONG));
    }).strings("even", "joined").longs("by-length");

    // Named processors and stores: `<name>-cogroup-agg-<i>` and `<name>-cogroup-merge`.
    Reference.define("cogroup-named", b -> {
      KGroupedStream<String, String> left = b.<String, String>stream("left").groupByKey();
      KGroupedStream<String, String> right = b.<String, String>stream("right").groupByKey();
      CogroupedKStream<String, String> cogrouped = left
          .cogroup((String k, String v, String agg) -> agg + "<" + v)
          .cogroup(right, (k, v, agg) -> v + ">" + agg);
      // Kafka Streams draws generated names for named cogroup processors too (README: "Named operations
      // do not use up a generated index"), so everything after them is named.
      cogrouped.aggregate(() -> "", Named.as("pairs"), Materialized.as("pairs")).toStream(Named.as("pairs-stream")).to("pairs", Produced.as("pairs-sink"));
      cogrouped
          .windowedBy(TimeWindows.ofSizeAndGrace(ms(10), ms(5)))
          .aggregate(() -> "", Named.as("windowed-pairs"), Materialized.as("windowed-pairs"))
          .toStream(Named.as("windowed-pairs-stream"))
          .selectKey((w, v) -> w.key() + "@" + w.window().start(), Named.as("windowed-pairs-key"))
          .to("windowed-pairs", Produced.as("windowed-pairs-sink"));
    }).strings("pairs", "windowed-pairs");

    // Time windows: tumbling and hopping on every update, and tumbling final results.
    Reference.define("cogroup-time-windows", b -> {
      KGroupedStream<String, String> a = b.<String, String>stream("a").groupByKey();
      KGroupedStream<String, String> c = b.<String, String>stream("c").groupByKey();
      CogroupedKStream<String, Long> cogrouped = a.cogroup((String k, String v, Long n) -> n + 1).cogroup(c, (k, v, n) -> n + 100);
      Serde<Windowed<String>> windowed = WindowedSerdes.timeWindowedSerdeFrom(String.class, 10);
      TimeWindows tumbling = TimeWindows.ofSizeAndGrace(ms(10), ms(5));
      cogrouped.windowedBy(tumbling).aggregate(() -> 0L, Materialized.with(STRING, LONG)).toStream().to("tumbling", Produced.with(windowed, LONG));
      cogrouped
          .windowedBy(TimeWindows.ofSizeAndGrace(ms(10), ms(3)).advanceBy(ms(5)))
          .aggregate(() -> 0L, Materialized.with(STRING, LONG))
          .toStream()
          .to("hopping", Produced.with(windowed, LONG));
      cogrouped
          .windowedBy(tumbling)
          .aggregate(() -> 0L, Materialized.with(STRING, LONG))
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
          .toStream()
          .to("tumbling-final", Produced.with(windowed, LONG));
    }).timeWindowedLongs(10, "tumbling", "hopping", "tumbling-final");

    // Sliding windows over a re-keyed input and a plain one, on every update and final.
    Reference.define("cogroup-sliding-windows", b -> {
      KGroupedStream<String, String> a = b.<String, String>stream("a").groupByKey();
      KGroupedStream<String, String> byValue = b.<String, String>stream("by-value").groupBy((k, v) -> v);
      CogroupedKStream<String, Long> cogrouped = a.cogroup((String k, String v, Long n) -> n + 1).cogroup(byValue, (k, v, n) -> n + 100);
      Serde<Windowed<String>> windowed = WindowedSerdes.timeWindowedSerdeFrom(String.class, 10);
      SlidingWindows sliding = SlidingWindows.ofTimeDifferenceAndGrace(ms(10), ms(5));
      cogrouped.windowedBy(sliding).aggregate(() -> 0L, Materialized.with(STRING, LONG)).toStream().to("sliding", Produced.with(windowed, LONG));
      cogrouped
          .windowedBy(sliding)
          .aggregate(() -> 0L, Materialized.with(STRING, LONG))
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
          .toStream()
          .to("sliding-final", Produced.with(windowed, LONG));
    }).timeWindowedLongs(10, "sliding", "sliding-final");

    // Session windows: records of either input extend and merge the same sessions.
    Reference.define("cogroup-session-windows", b -> {
      KGroupedStream<String, String> a = b.<String, String>stream("a").groupByKey();
      KGroupedStream<String, String> c = b.<String, String>stream("c").groupByKey();
      CogroupedKStream<String, Long> cogrouped = a.cogroup((String k, String v, Long n) -> n + 1).cogroup(c, (k, v, n) -> n + 100);
      Serde<Windowed<String>> windowed = WindowedSerdes.sessionWindowedSerdeFrom(String.class);
      SessionWindows sessions = SessionWindows.ofInactivityGapAndGrace(ms(5), ms(10));
      cogrouped
          .windowedBy(sessions)
          .aggregate(() -> 0L, (k, x, y) -> x + y, Materialized.with(STRING, LONG))
          .toStream()
          .to("sessions", Produced.with(windowed, LONG));
      cogrouped
          .windowedBy(sessions)
          .aggregate(() -> 0L, (k, x, y) -> x + y, Materialized.with(STRING, LONG))
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
          .toStream()
          .to("sessions-final", Produced.with(windowed, LONG));
    }).sessionWindowedLongs("sessions", "sessions-final");
  }
}
