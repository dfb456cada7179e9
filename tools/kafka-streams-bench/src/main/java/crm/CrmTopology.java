package crm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The CRM application of packages/examples (`buildCrmTopology` in pipelines/crm.ts) in Kafka
 * Streams: segmentation, recommendations and fraud detection reading the interactions once, with
 * the same keys, stores (names, keys, value formats, which are logged and which cached),
 * repartition topics, punctuators and output records. The `crm` variant of `pnpm bench:compare`.
 *
 * Caching follows the example's stores: the processor stores it declares with `caching: true` are
 * built `withCachingEnabled()` (with `statestore.cache.max.bytes` above 0 their changelog writes
 * are folded until the commit, as Tributary's changelog caches fold them; processors forward
 * themselves, so outputs are unchanged); the DSL stores (`amount-stats`, `customer-first-purchase`)
 * are never cached, so every aggregate update is forwarded, as in Tributary without record caches.
 */
public final class CrmTopology {
  /** The output topics, named after the example's (`topics.ts`) behind the run's prefix. */
  public static String segmentsTopic(String prefix) {
    return prefix + "-customer_segments";
  }

  public static String recommendationsTopic(String prefix) {
    return prefix + "-recommendations";
  }

  public static String fraudAlertsTopic(String prefix) {
    return prefix + "-fraud_alerts";
  }

  static final String RFM_PROFILES = "rfm-profiles";
  static final String CUSTOMER_INVOICES = "customer-invoices";
  static final String CUSTOMER_SEGMENTS = "customer-segments";
  static final String CO_PURCHASE_BASKETS = "co-purchase-baskets";
  static final String CO_PURCHASE_COUNTS = "co-purchase-counts";
  static final String CUSTOMER_PRODUCTS = "customer-products";
  static final String CUSTOMER_PRODUCT_SETS = "customer-product-sets";
  static final String CUSTOMER_FIRST_PURCHASE = "customer-first-purchase";
  static final String OPEN_INVOICES = "open-invoices";
  static final String PURCHASE_VELOCITY = "purchase-velocity";
  static final String CANCELLATION_BURSTS = "cancellation-bursts";
  static final String AMOUNT_STATS = "amount-stats";
  static final String LAST_LOCATION = "last-purchase-location";
  static final String COOLDOWN = "fraud-alert-cooldown";

  /** The example's defaults (`RecommendationOptions`). */
  static final int TOP_N = 5;
  static final int CANDIDATES = 20;

  /** Stock codes that are charges, not products (recommendations.ts, `NON_PRODUCT_STOCK_CODES`). */
  static final Set<String> NON_PRODUCT_STOCK_CODES = Set.of("POST", "DOT", "C2", "M", "D", "S", "B", "CRUK", "BANK CHARGES", "AMAZONFEE");

  private final StreamsBuilder builder;
  private final boolean rocksdb;

  private CrmTopology(StreamsBuilder builder, boolean rocksdb) {
    this.builder = builder;
    this.rocksdb = rocksdb;
  }

  /** Adds the three pipelines to `builder`, reading `input` and writing the topics named after `outputPrefix`. */
  public static void addTo(StreamsBuilder builder, String input, String outputPrefix, boolean rocksdb) {
    CrmTopology crm = new CrmTopology(builder, rocksdb);
    KStream<String, CustomerInteraction> interactions =
        builder.stream(input, Consumed.with(Serdes.String(), Json.of(CustomerInteraction.class)).withName("customer-interactions"));
    crm.segmentation(interactions, segmentsTopic(outputPrefix));
    crm.recommendations(interactions, recommendationsTopic(outputPrefix));
    crm.fraud(interactions, fraudAlertsTopic(outputPrefix));
  }

  /** segmentation.ts: RFM profiles, segment changes, a daily re-evaluation. */
  private void segmentation(KStream<String, CustomerInteraction> interactions, String output) {
    builder.addStateStore(logged(RFM_PROFILES, RfmProfile.SERDE));
    builder.addStateStore(logged(CUSTOMER_INVOICES, TextSerde.epochMillis()));
    builder.addStateStore(logged(CUSTOMER_SEGMENTS, Json.of(String.class)));
    interactions
        .<String, RfmProfile>process(() -> new RfmProfiler(RFM_PROFILES, CUSTOMER_INVOICES), Named.as(RFM_PROFILES), RFM_PROFILES, CUSTOMER_INVOICES)
        .<String, SegmentChange>process(() -> new SegmentTracker(RFM_PROFILES, CUSTOMER_SEGMENTS, Duration.ofDays(1)), Named.as("segment-tracker"), CUSTOMER_SEGMENTS, RFM_PROFILES)
        .to(output, Produced.with(Serdes.String(), Json.of(SegmentChange.class)).withName("customer-segments-sink"));
  }

  /** recommendations.ts: co-purchase counts of complete invoices; top-N products not yet bought, per purchase. */
  private void recommendations(KStream<String, CustomerInteraction> interactions, String output) {
    KStream<String, CustomerInteraction> purchases =
        interactions.filter((customer, i) -> i.isPurchase() && !NON_PRODUCT_STOCK_CODES.contains(i.stockCode()), Named.as("product-purchases"));

    builder.addStateStore(logged(CUSTOMER_PRODUCTS, TextSerde.epochMillis()));
    builder.addStateStore(ObjectStore.<Set<String>>builder(CUSTOMER_PRODUCT_SETS));
    KTable<String, Long> customers = purchases
        .<Long>processValues(() -> new CustomerProductsRecorder(CUSTOMER_PRODUCTS, CUSTOMER_PRODUCT_SETS), Named.as(CUSTOMER_PRODUCTS), CUSTOMER_PRODUCTS, CUSTOMER_PRODUCT_SETS)
        .toTable(Named.as(CUSTOMER_FIRST_PURCHASE), materialized(CUSTOMER_FIRST_PURCHASE, TextSerde.epochMillis()));

    builder.addStateStore(logged(CO_PURCHASE_BASKETS, Serdes.String()));
    builder.addStateStore(ObjectStore.<CoPurchaseRow>builder(CO_PURCHASE_COUNTS));
    builder.addStateStore(logged(OPEN_INVOICES, OpenInvoice.SERDE));
    purchases
        .<String, ClosedInvoice>process(() -> new InvoiceAssembler(OPEN_INVOICES, Duration.ofHours(1), Duration.ofMinutes(30)), Named.as("invoice-assembler"), OPEN_INVOICES)
        // A basket of one product has no pair to count.
        .<String, BasketForProduct>flatMap((invoiceNo, invoice) -> {
          List<KeyValue<String, BasketForProduct>> perProduct = new ArrayList<>();
          if (invoice.products().size() < 2) return perProduct;
          BasketForProduct basket = new BasketForProduct(invoice.invoiceNo(), invoice.products());
          for (String product : invoice.products()) perProduct.add(KeyValue.pair(product, basket));
          return perProduct;
        }, Named.as("basket-per-product"))
        .repartition(Repartitioned.<String, BasketForProduct>as("baskets-by-product").withKeySerde(Serdes.String()).withValueSerde(BasketForProduct.SERDE))
        .<Void, Void>process(() -> new CoPurchaseCounter(CO_PURCHASE_BASKETS, CO_PURCHASE_COUNTS, CANDIDATES), Named.as("co-purchase-counter"), CO_PURCHASE_BASKETS, CO_PURCHASE_COUNTS);

    purchases
        .mapValues(p -> new PurchaseRef(p.customerId(), p.invoiceNo(), p.stockCode(), p.timestamp()), Named.as("purchase-ref"))
        .selectKey((customer, purchase) -> purchase.stockCode(), Named.as("purchase-by-product"))
        .repartition(Repartitioned.<String, PurchaseRef>as("purchase-co-purchases").withKeySerde(Serdes.String()).withValueSerde(PurchaseRef.SERDE))
        .<String, PurchaseWithCandidates>process(() -> new CoPurchaseLookup(CO_PURCHASE_BASKETS, CO_PURCHASE_COUNTS, CANDIDATES), Named.as("purchase-co-purchases"), CO_PURCHASE_BASKETS, CO_PURCHASE_COUNTS)
        .selectKey((product, purchase) -> purchase.customerId(), Named.as("candidates-by-customer"))
        // Through a repartition topic co-partitioned with the customers table: to the customer's task.
        .join(customers, (purchase, firstPurchase) -> purchase, Joined.with(Serdes.String(), PurchaseWithCandidates.SERDE, TextSerde.epochMillis(), "purchase-history"))
        .<String, Recommendation>process(() -> new RecommendationPicker(CUSTOMER_PRODUCTS, CUSTOMER_PRODUCT_SETS, TOP_N), Named.as("recommendation-picker"), CUSTOMER_PRODUCTS, CUSTOMER_PRODUCT_SETS)
        .filter((customer, recommendation) -> !recommendation.recommendations().isEmpty(), Named.as("non-empty-recommendations"))
        .to(output, Produced.with(Serdes.String(), Json.of(Recommendation.class)).withName("recommendations-sink"));
  }

  /** fraud.ts: velocity and cancellation bursts in hopping windows, amount z-score, country change; one alert per customer and reason per 30 minutes. */
  private void fraud(KStream<String, CustomerInteraction> interactions, String output) {
    KStream<String, CustomerInteraction> purchases = interactions.filter((customer, i) -> i.isPurchase(), Named.as("fraud-purchases"));
    KStream<String, CustomerInteraction> cancellations = interactions.filter((customer, i) -> i.isCancellation(), Named.as("fraud-cancellations"));

    builder.addStateStore(logged(PURCHASE_VELOCITY, InvoiceBurstDetector.RECENT_INVOICES));
    builder.addStateStore(logged(CANCELLATION_BURSTS, InvoiceBurstDetector.RECENT_INVOICES));
    KStream<String, FraudAlert> velocity = purchases.<String, FraudAlert>process(
        () -> new InvoiceBurstDetector(PURCHASE_VELOCITY, "velocity", Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofMinutes(1), 5),
        Named.as(PURCHASE_VELOCITY), PURCHASE_VELOCITY);
    KStream<String, FraudAlert> bursts = cancellations.<String, FraudAlert>process(
        () -> new InvoiceBurstDetector(CANCELLATION_BURSTS, "cancellation-burst", Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofMinutes(1), 5),
        Named.as(CANCELLATION_BURSTS), CANCELLATION_BURSTS);

    KStream<String, FraudAlert> amounts = purchases
        .groupByKey(Grouped.with("amounts-by-customer", Serdes.String(), Json.of(CustomerInteraction.class)))
        .aggregate(() -> AmountStats.EMPTY, (customer, purchase, stats) -> stats.add(purchase.amount(), purchase.timestamp()),
            Named.as(AMOUNT_STATS), materialized(AMOUNT_STATS, AmountStats.SERDE))
        .toStream(Named.as("amount-stats-updates"))
        .filter((customer, stats) -> stats != null && stats.latest() != null && stats.latest().anomalous(), Named.as("anomalous-amounts"))
        .mapValues((customerId, stats) -> amountAlert(customerId, stats.latest()), Named.as("amount-alerts"));

    builder.addStateStore(logged(LAST_LOCATION, CountryChangeDetector.LOCATION));
    KStream<String, FraudAlert> countries = purchases.<String, FraudAlert>process(
        () -> new CountryChangeDetector(LAST_LOCATION, Duration.ofHours(1).toMillis()), Named.as(LAST_LOCATION), LAST_LOCATION);

    builder.addStateStore(logged(COOLDOWN, AlertCooldown.LAST_ALERTS));
    velocity
        .merge(bursts, Named.as("merge-window-alerts"))
        .merge(amounts, Named.as("merge-amount-alerts"))
        .merge(countries, Named.as("merge-country-alerts"))
        .<String, FraudAlert>process(() -> new AlertCooldown(COOLDOWN, Duration.ofMinutes(30).toMillis()), Named.as("alert-cooldown"), COOLDOWN)
        .to(output, Produced.with(Serdes.String(), Json.of(FraudAlert.class)).withName("fraud-alerts-sink"));
  }

  private static FraudAlert amountAlert(String customerId, AmountStats.Verdict v) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("amount", v.amount());
    details.put("zScore", round2(v.zScore()));
    details.put("mean", round2(v.mean()));
    details.put("stdDev", round2(v.stdDev()));
    details.put("history", v.history());
    return new FraudAlert(customerId, List.of("amount-anomaly"), v.timestamp(), details);
  }

  private static double round2(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private KeyValueBytesStoreSupplier supplier(String name) {
    return rocksdb ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
  }

  /** A logged processor store keyed by string, cached as the example caches it (`caching: true`). */
  private <V> StoreBuilder<KeyValueStore<String, V>> logged(String name, Serde<V> valueSerde) {
    return Stores.keyValueStoreBuilder(supplier(name), Serdes.String(), valueSerde).withCachingEnabled();
  }

  /** A DSL store (table, aggregate), never cached: every update is forwarded. */
  private <V> Materialized<String, V, KeyValueStore<Bytes, byte[]>> materialized(String name, Serde<V> valueSerde) {
    return Materialized.<String, V>as(supplier(name)).withKeySerde(Serdes.String()).withValueSerde(valueSerde).withCachingDisabled();
  }
}
