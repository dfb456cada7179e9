import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.common.utils.Bytes;

/** Reference topologies: versioned (their TypeScript twins: test/reference/versioned/topologies.ts). */
final class VersionedTopologies {
  private VersionedTopologies() {}

  /** A table kept in a versioned store named {@code store} with {@code historyRetentionMs}. */
  static Materialized<String, String, KeyValueStore<Bytes, byte[]>> versioned(String store, long historyRetentionMs) {
    return Materialized.as(Stores.persistentVersionedKeyValueStore(store, Duration.ofMillis(historyRetentionMs)));
  }

  static Joined<String, String, String> grace(long graceMs) {
    return Joined.<String, String, String>with(null, null, null).withGracePeriod(Duration.ofMillis(graceMs));
  }

  static void register() {
    // A versioned table's changelog: out-of-order updates still flow, too-old ones are dropped.
    Reference.define("versioned-table-source", b -> {
      b.<String, String>table("rates", versioned("rates-store", 10)).toStream().to("updates");
    }).strings("updates");

    // filter and mapValues below a versioned table (no store of their own).
    Reference.define("versioned-table-filter-map", b -> {
      KTable<String, String> rates = b.table("rates", versioned("rates-store", 10));
      rates.filter((k, v) -> v.startsWith("a") || v.startsWith("c")).toStream().to("filtered");
      rates.mapValues(v -> v.toUpperCase(Locale.ROOT)).toStream().to("mapped");
    }).strings("filtered", "mapped");

    // Stream-table joins without a grace period: the table is read as of the record's time.
    Reference.define("versioned-stream-join", b -> {
      KStream<String, String> orders = b.stream("orders");
      KTable<String, String> rates = b.table("rates", versioned("rates-store", 20));
      orders.join(rates, Reference::joined).to("inner");
      orders.leftJoin(rates, Reference::joined).to("left-join");
    }).strings("inner", "left-join");

    // An inner join with a grace period: stream records wait for late table updates.
    Reference.define("versioned-stream-join-grace", b -> {
      KStream<String, String> orders = b.stream("orders");
      KTable<String, String> rates = b.table("rates", versioned("rates-store", 20));
      orders.join(rates, Reference::joined, grace(5)).to("inner");
    }).strings("inner");

    // A left join with a grace period as long as the history retention.
    Reference.define("versioned-stream-left-join-grace", b -> {
      KStream<String, String> orders = b.stream("orders");
      KTable<String, String> rates = b.table("rates", versioned("rates-store", 8));
      orders.leftJoin(rates, Reference::joined, grace(8)).to("left-join");
    }).strings("left-join");

    // A named join with a grace period (its buffer is "<name>-Buffer"), after a key change.
    Reference.define("versioned-join-grace-rekeyed", b -> {
      KStream<String, String> orders = b.stream("orders");
      KTable<String, String> rates = b.table("rates", versioned("rates-store", 30));
      orders
          .selectKey((k, v) -> v == null || v.isEmpty() ? null : v.substring(0, 1))
          .join(rates, Reference::joined, Joined.<String, String, String>as("enrich").withGracePeriod(Duration.ofMillis(3)))
          .to("enriched");
    }).strings("enriched");

    // A grace-period join on an unmaterialized filter of a versioned table.
    Reference.define("versioned-join-grace-filtered", b -> {
      KStream<String, String> orders = b.stream("orders");
      KTable<String, String> rates = b.table("rates", versioned("rates-store", 10));
      orders.leftJoin(rates.filter((k, v) -> !v.startsWith("x")), Reference::joined, grace(4)).to("left-join");
    }).strings("left-join");

    // Joins on an unmaterialized mapValues of a versioned table, with and without a grace period.
    Reference.define("versioned-join-mapped-table", b -> {
      KStream<String, String> orders = b.stream("orders");
      KTable<String, String> upper = b.<String, String>table("rates", versioned("rates-store", 6)).mapValues(v -> v.toUpperCase(Locale.ROOT));
      orders.join(upper, Reference::joined).to("inner");
      orders.leftJoin(upper, Reference::joined, grace(3)).to("left-join");
    }).strings("inner", "left-join");

    // toTable into a versioned store, read back and joined.
    Reference.define("versioned-to-table", b -> {
      KTable<String, String> latest = b.<String, String>stream("events").toTable(versioned("latest-store", 10));
      latest.toStream().to("latest-updates");
      b.<String, String>stream("orders").join(latest, Reference::joined, grace(2)).to("joined");
    }).strings("latest-updates", "joined");

    // A versioned table joined with a non-versioned one: out-of-order versioned updates do not join.
    Reference.define("versioned-table-table-join", b -> {
      KTable<String, String> left = b.table("left", versioned("left-store", 15));
      KTable<String, String> right = b.table("right", Materialized.as("right-store"));
      left.join(right, Reference::joined).toStream().to("inner");
      left.leftJoin(right, Reference::joined).toStream().to("left-join");
      right.outerJoin(left, Reference::joined).toStream().to("outer");
    }).strings("inner", "left-join", "outer");

    // Two versioned tables joined: only in-order updates of either side join.
    Reference.define("versioned-both-table-join", b -> {
      KTable<String, String> left = b.table("left", versioned("left-store", 5));
      KTable<String, String> right = b.table("right", versioned("right-store", 25));
      left.join(right, Reference::joined).toStream().to("inner");
      left.outerJoin(right, Reference::joined).toStream().to("outer");
    }).strings("inner", "outer");

    // Regrouping a versioned table: out-of-order updates are not aggregated.
    Reference.define("versioned-table-groupby", b -> {
      KTable<String, String> users = b.table("users", versioned("users-store", 12));
      users
          .groupBy((k, v) -> KeyValue.pair(Reference.region(v), v))
          .count()
          .toStream()
          .to("region-counts", Produced.with(Reference.STRING, Reference.LONG));
    }).longs("region-counts");

    // A foreign-key join whose both tables are versioned.
    Reference.define("versioned-foreign-key-join", b -> {
      KTable<String, String> orders = b.table("orders", versioned("orders-store", 10));
      KTable<String, String> products = b.table("products", versioned("products-store", 10));
      orders.leftJoin(products, Reference::region, Reference::joined).toStream().to("left-join");
    }).strings("left-join");
  }
}
