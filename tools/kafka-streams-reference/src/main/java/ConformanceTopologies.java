import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KGroupedTable;
import org.apache.kafka.streams.kstream.KStream;
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

/**
 * Reference topologies: conformance (their TypeScript twins: test/reference/conformance/topologies.ts).
 * Table operations after aggregations and joins (old values, tombstones), final results of windows
 * (suppress, onWindowClose with big jumps of stream time), global tables.
 */
final class ConformanceTopologies {
  private ConformanceTopologies() {}

  private static final Serde<String> STRING = Reference.STRING;
  private static final Serde<Long> LONG = Reference.LONG;

  private static Serde<Windowed<String>> timeWindowed(long size) {
    return WindowedSerdes.timeWindowedSerdeFrom(String.class, size);
  }

  private static Serde<Windowed<String>> sessionWindowed() {
    return WindowedSerdes.sessionWindowedSerdeFrom(String.class);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** `region:amount` rows; a null row has no amount. */
  private static long amountOf(String row) {
    return row == null ? 0L : Reference.amount(row);
  }

  /** The product of an order row `product:quantity`; Kafka Streams calls a global join's key selector on null values too. */
  private static String product(String key, String row) {
    return row == null ? null : Reference.region(row);
  }

  static void register() {
    // Issue 11 item 1: a filter after a stream aggregation asks it for old values.
    Reference.define("filter-after-reduce", b -> {
      KTable<String, String> latest = b.<String, String>stream("purchases").groupByKey().reduce((a, v) -> v);
      latest.filter((k, v) -> amountOf(v) >= 8).toStream().to("big");
      latest.filterNot((k, v) -> amountOf(v) >= 8).toStream().to("small");
      latest
          .mapValues(v -> Reference.region(v))
          .filter((k, r) -> r != null && r.startsWith("g"))
          .toStream()
          .to("g-regions");
    }).strings("big", "small", "g-regions");

    // A count's first update carries the initializer's 0 as its old value.
    Reference.define("filter-after-count", b -> {
      KTable<String, Long> counts = b.<String, String>stream("clicks").groupByKey().count();
      counts.filterNot((k, c) -> c % 2 == 1).toStream().to("even-counts", Produced.with(STRING, LONG));
      counts.filter((k, c) -> c >= 2).mapValues(c -> c * 10).toStream().to("tens", Produced.with(STRING, LONG));
      counts
          .filterNot((k, c) -> c > 3)
          .toStream()
          .to("small-counts", Produced.with(STRING, LONG));
      counts
          .groupBy((k, c) -> KeyValue.pair("r" + (c % 3), c), Grouped.with(STRING, LONG))
          .reduce(Long::sum, (a, v) -> a - v)
          .toStream()
          .to("count-groups", Produced.with(STRING, LONG));
    }).longs("even-counts", "tens", "small-counts", "count-groups");

    // A stream filter on a reduce's changelog.
    Reference.define("to-stream-filter-after-reduce", b -> {
      KTable<String, Long> totals = b.<String, String>stream("payments")
          .mapValues(v -> v == null ? null : Reference.amount(v))
          .groupByKey(Grouped.with(STRING, LONG))
          .reduce(Long::sum);
      totals.toStream().filter((k, total) -> total > 10).to("over-ten", Produced.with(STRING, LONG));
      totals.toStream().filterNot((k, total) -> "a".equals(k)).mapValues(total -> "total=" + total).to("not-a");
    }).longs("over-ten").strings("not-a");

    // Filters and mapValues after the three table-table joins.
    Reference.define("filter-after-table-joins", b -> {
      KTable<String, String> left = b.table("left");
      KTable<String, String> right = b.table("right");
      left.join(right, Reference::joined).filter((k, v) -> v.contains("x")).toStream().to("inner-x");
      left.leftJoin(right, Reference::joined).filterNot((k, v) -> v.contains("x")).toStream().to("left-not-x");
      KTable<String, String> outer = left.outerJoin(right, Reference::joined);
      outer.filter((k, v) -> v.contains("x")).toStream().to("outer-x");
      outer
          .mapValues(v -> v.toUpperCase(java.util.Locale.ROOT))
          .filter((k, v) -> v.startsWith("NULL"))
          .toStream()
          .to("outer-no-left");
    }).strings("inner-x", "left-not-x", "outer-x", "outer-no-left");

    // mapValues and filter on a table, then joined.
    Reference.define("mapvalues-then-join", b -> {
      KTable<String, String> customers = b.table("customers");
      KTable<String, String> tiers = b.table("tiers");
      KTable<String, String> upper = customers.mapValues(v -> v.toUpperCase(java.util.Locale.ROOT));
      upper.join(tiers, Reference::joined).toStream().to("upper-inner");
      customers
          .filter((k, v) -> v.length() > 3)
          .leftJoin(tiers.mapValues(t -> "tier-" + t), Reference::joined)
          .toStream()
          .to("long-left");
      KStream<String, String> orders = b.stream("orders");
      orders.join(upper, Reference::joined).to("orders-upper");
      orders.leftJoin(tiers.filter((k, t) -> !"x".equals(t)), Reference::joined).to("orders-tier");
    }).strings("upper-inner", "long-left", "orders-upper", "orders-tier");

    // Chains of three table-table joins.
    Reference.define("three-table-joins", b -> {
      KTable<String, String> a = b.table("a");
      KTable<String, String> bt = b.table("b");
      KTable<String, String> c = b.table("c");
      a.join(bt, Reference::joined).leftJoin(c, Reference::joined).toStream().to("inner-left");
      a.outerJoin(bt, Reference::joined).join(c, Reference::joined).toStream().to("outer-inner");
      a.leftJoin(bt.join(c, Reference::joined), Reference::joined).outerJoin(c, Reference::joined).toStream().to("nested-outer");
    }).strings("inner-left", "outer-inner", "nested-outer");

    // A table-table join re-grouped.
    Reference.define("join-then-aggregate", b -> {
      KTable<String, String> orders = b.table("orders");
      KTable<String, String> customers = b.table("customers");
      KTable<String, String> joinedRows = orders.join(customers, (o, c) -> c + ":" + Reference.amount(o));
      KGroupedTable<String, String> byRegion = joinedRows.groupBy((k, v) -> KeyValue.pair(Reference.region(v), v));
      byRegion
          .aggregate(() -> 0L, (k, v, total) -> total + Reference.amount(v), (k, v, total) -> total - Reference.amount(v), Materialized.with(STRING, LONG))
          .toStream()
          .to("region-totals", Produced.with(STRING, LONG));
      byRegion.count().toStream().to("region-counts", Produced.with(STRING, LONG));
      orders
          .leftJoin(customers, Reference::joined)
          .groupBy((k, v) -> KeyValue.pair(v.substring(v.indexOf('+') + 1), v))
          .reduce((a, v) -> a + "|" + v, (a, v) -> a + "|-" + v)
          .toStream()
          .to("by-customer");
    }).longs("region-totals", "region-counts").strings("by-customer");

    // Final results of a filtered windowed count.
    Reference.define("windowed-filter-suppress", b -> {
      KGroupedStream<String, String> clicks = b.<String, String>stream("clicks").groupByKey();
      clicks
          .windowedBy(TimeWindows.ofSizeAndGrace(ms(10), ms(5)))
          .count(Materialized.with(STRING, LONG))
          .filter((k, c) -> c >= 2)
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
          .toStream()
          .to("tumbling-final", Produced.with(timeWindowed(10), LONG));
      clicks
          .windowedBy(TimeWindows.ofSizeAndGrace(ms(10), ms(2)).advanceBy(ms(4)))
          .count(Materialized.with(STRING, LONG))
          .filterNot((k, c) -> c == 2)
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
          .toStream()
          .to("hopping-final", Produced.with(timeWindowed(10), LONG));
    }).timeWindowedLongs(10, "tumbling-final", "hopping-final");

    // Issue 11 item 1, sessions: filtered changes do not move the suppression's stream time.
    Reference.define("session-filter-suppress", b -> {
      KTable<Windowed<String>, Long> sessions = b.<String, String>stream("clicks")
          .groupByKey()
          .windowedBy(SessionWindows.ofInactivityGapAndGrace(ms(5), ms(3)))
          .count(Materialized.with(STRING, LONG));
      sessions
          .filter((k, c) -> c >= 2)
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
          .toStream()
          .to("busy-sessions", Produced.with(sessionWindowed(), LONG));
      sessions
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
          .toStream()
          .to("all-sessions", Produced.with(sessionWindowed(), LONG));
    }).sessionWindowedLongs("busy-sessions", "all-sessions");

    // Issue 11 items 2 and 3: global tables first; a null selected key in a left join.
    Reference.define("global-table-joins", b -> {
      GlobalKTable<String, String> products = b.globalTable("products");
      KStream<String, String> orders = b.stream("orders");
      orders.join(products, ConformanceTopologies::product, Reference::joined).to("inner");
      orders.leftJoin(products, ConformanceTopologies::product, Reference::joined).to("left-join");
      GlobalKTable<String, String> regions = b.globalTable("regions", Materialized.as("regions-store"));
      orders
          .leftJoin(regions, (k, v) -> k, Reference::joined)
          .leftJoin(products, (k, v) -> v.endsWith("+null") ? null : v.substring(v.indexOf('+') + 1), Reference::joined)
          .to("chained");
    }).strings("inner", "left-join", "chained");

    // Sub-topologies and a global store interleaved.
    Reference.define("global-table-between", b -> {
      KStream<String, String> orders = b.stream("orders");
      GlobalKTable<String, String> products = b.globalTable("products", Materialized.as("products-store"));
      orders
          .selectKey(ConformanceTopologies::product)
          .leftJoin(products, (k, v) -> k, Reference::joined)
          .groupByKey()
          .count()
          .toStream()
          .to("per-product", Produced.with(STRING, LONG));
    }).longs("per-product");

    // Issue 11 item 4: onWindowClose on hopping and tumbling windows, big jumps included.
    Reference.define("hopping-on-close", b -> {
      KGroupedStream<String, String> clicks = b.<String, String>stream("clicks").groupByKey();
      clicks
          .windowedBy(TimeWindows.ofSizeAndGrace(ms(12), ms(2)).advanceBy(ms(4)))
          .emitStrategy(EmitStrategy.onWindowClose())
          .count()
          .toStream()
          .to("hopping-12-4", Produced.with(timeWindowed(12), LONG));
      clicks
          .windowedBy(TimeWindows.ofSizeAndGrace(ms(10), ms(0)).advanceBy(ms(3)))
          .emitStrategy(EmitStrategy.onWindowClose())
          .count()
          .toStream()
          .to("hopping-10-3", Produced.with(timeWindowed(10), LONG));
      clicks
          .windowedBy(TimeWindows.ofSizeAndGrace(ms(10), ms(5)))
          .emitStrategy(EmitStrategy.onWindowClose())
          .aggregate(() -> 0L, (k, v, n) -> n + (v == null ? 0 : v.length()), Materialized.with(STRING, LONG))
          .toStream()
          .to("tumbling-10", Produced.with(timeWindowed(10), LONG));
    }).timeWindowedLongs(12, "hopping-12-4").timeWindowedLongs(10, "hopping-10-3", "tumbling-10");

    // Issue 11 item 4 for sliding windows, big jumps included.
    Reference.define("sliding-on-close", b -> {
      KGroupedStream<String, String> clicks = b.<String, String>stream("clicks").groupByKey();
      clicks
          .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(ms(10), ms(5)))
          .emitStrategy(EmitStrategy.onWindowClose())
          .count()
          .toStream()
          .to("sliding-10-5", Produced.with(timeWindowed(10), LONG));
      clicks
          .windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(ms(4)))
          .emitStrategy(EmitStrategy.onWindowClose())
          .count()
          .toStream()
          .to("sliding-4-0", Produced.with(timeWindowed(4), LONG));
    }).timeWindowedLongs(10, "sliding-10-5").timeWindowedLongs(4, "sliding-4-0");

    // Filters on named (materialized) tables.
    Reference.define("filter-named-tables", b -> {
      KTable<String, String> rows = b.table("rows", Materialized.as("rows-store"));
      rows.filter((k, v) -> v.startsWith("a")).toStream().to("a-rows");
      rows
          .mapValues(v -> (long) v.length())
          .filterNot((k, n) -> n < 4)
          .toStream()
          .to("long-rows", Produced.with(STRING, LONG));
      // Kafka Streams draws a name index for a named filter: every node after it is named.
      KTable<String, String> events = b.<String, String>stream("events").toTable(Named.as("events-store"), Materialized.as("events-store"));
      events
          .filter((k, v) -> v.length() > 2, Named.as("long-events"), Materialized.as("long-events"))
          .filter((k, v) -> v.startsWith("d"), Named.as("d-events"), Materialized.as("d-events"))
          .toStream(Named.as("d-events-stream"))
          .to("d-events", Produced.as("d-events-sink"));
    }).strings("a-rows", "d-events").longs("long-rows");

    // Windowed aggregations that send old values to a filter.
    Reference.define("filter-after-windowed-count", b -> {
      KGroupedStream<String, String> clicks = b.<String, String>stream("clicks").groupByKey();
      clicks
          .windowedBy(TimeWindows.ofSizeAndGrace(ms(10), ms(5)).advanceBy(ms(5)))
          .count()
          .filterNot((k, c) -> c == 1)
          .toStream()
          .to("hopping-not-one", Produced.with(timeWindowed(10), LONG));
      clicks
          .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(ms(10), ms(5)))
          .count()
          .filter((k, c) -> c < 3)
          .toStream()
          .to("sliding-under-three", Produced.with(timeWindowed(10), LONG));
    }).timeWindowedLongs(10, "hopping-not-one", "sliding-under-three");
  }
}
