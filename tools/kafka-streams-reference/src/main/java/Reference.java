import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KGroupedTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindowedDeserializer;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindowedDeserializer;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The Kafka Streams oracle of Tributary's differential test (test/reference).
 *
 * <p>Reads one scenario, or a JSON array of them, from stdin:
 *
 * <pre>
 * { "name": "...", "topology": "wordcount",
 *   "inputs": [{ "topic": "lines", "key": "k" | null, "value": "v" | null, "timestamp": 5 }],
 *   "outputs": ["word-counts"] }
 * </pre>
 *
 * builds the named topology (the registry below; test/reference/topologies.ts builds the same
 * ones in Tributary), pipes the inputs in order through Kafka Streams' own TopologyTestDriver
 * with record caches off, reads every listed output topic and prints, on stdout, one result per
 * scenario (an array for an array):
 *
 * <pre>
 * { "name": "...", "outputs": { "word-counts": [{ "key": "a", "value": 1, "timestamp": 5 }] },
 *   "describe": "Topologies: ...", "error": "only when the scenario failed" }
 * </pre>
 *
 * Input keys and values are strings; output values are strings or longs as each topology
 * declares; windowed keys print as {@code key@start/end}.
 */
public final class Reference {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the reader needs to know about an output topic: how to deserialize it. */
  static final class Output {
    final Deserializer<?> key;
    final Deserializer<?> value;

    Output(Deserializer<?> key, Deserializer<?> value) {
      this.key = key;
      this.value = value;
    }
  }

  static final class Definition {
    final Consumer<StreamsBuilder> build;
    final Map<String, Output> outputs = new HashMap<>();

    Definition(Consumer<StreamsBuilder> build) {
      this.build = build;
    }

    Definition strings(String... topics) {
      for (String topic : topics) outputs.put(topic, new Output(new StringDeserializer(), new StringDeserializer()));
      return this;
    }

    Definition longs(String... topics) {
      for (String topic : topics) outputs.put(topic, new Output(new StringDeserializer(), new LongDeserializer()));
      return this;
    }

    Definition timeWindowedLongs(long windowSize, String... topics) {
      for (String topic : topics) {
        outputs.put(topic, new Output(new TimeWindowedDeserializer<>(new StringDeserializer(), windowSize), new LongDeserializer()));
      }
      return this;
    }

    Definition sessionWindowedLongs(String... topics) {
      for (String topic : topics) {
        outputs.put(topic, new Output(new SessionWindowedDeserializer<>(new StringDeserializer()), new LongDeserializer()));
      }
      return this;
    }
  }

  static final Map<String, Definition> TOPOLOGIES = new LinkedHashMap<>();

  static Definition define(String name, Consumer<StreamsBuilder> build) {
    Definition definition = new Definition(build);
    TOPOLOGIES.put(name, definition);
    return definition;
  }

  static final Serde<String> STRING = Serdes.String();
  static final Serde<Long> LONG = Serdes.Long();

  /** Space-separated words, no empty ones (the same rule as the TypeScript side). */
  static List<String> words(String text) {
    return Arrays.stream(text.split(" ")).filter(w -> !w.isEmpty()).collect(Collectors.toList());
  }

  /** Letters-only lower-case words for the word count. */
  static List<String> lowerWords(String text) {
    return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z]+")).filter(w -> !w.isEmpty()).collect(Collectors.toList());
  }

  /** `region:amount` rows: the part before the colon, or null for a row starting with '-'. */
  static String region(String row) {
    if (row.startsWith("-")) return null;
    int colon = row.indexOf(':');
    return colon < 0 ? row : row.substring(0, colon);
  }

  static long amount(String row) {
    int colon = row.indexOf(':');
    return colon < 0 ? 0L : Long.parseLong(row.substring(colon + 1));
  }

  static KStream<String, String> branch(Map<String, KStream<String, String>> branches, String suffix) {
    return branches.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).findFirst().orElseThrow().getValue();
  }

  static String joined(String left, String right) {
    return left + "+" + right;
  }

  static {
    // 1. Stateless operators.
    define("stateless", b -> {
      KStream<String, String> input = b.stream("input");
      input
          .filter((k, v) -> v != null && !v.isEmpty())
          .mapValues(v -> v.toUpperCase(Locale.ROOT))
          .flatMapValues(Reference::words)
          .to("words");
      input
          .filterNot((k, v) -> v == null)
          .selectKey((k, v) -> v.isEmpty() ? null : v.substring(0, 1))
          .map((k, v) -> KeyValue.pair(k, v + "<" + (k == null ? "?" : k)))
          .to("rekeyed");
      input
          .flatMap((k, v) -> v == null
              ? Collections.<KeyValue<String, String>>emptyList()
              : Arrays.asList(KeyValue.pair(v, k), KeyValue.pair(k, String.valueOf(v.length()))))
          .to("flat");
      // Unnamed split, named branches: `<generated split name><branch name>`.
      Map<String, KStream<String, String>> branches = input
          .split()
          .branch((k, v) -> v == null, Branched.as("tombstones"))
          .branch((k, v) -> v.length() < 4, Branched.as("short"))
          .defaultBranch(Branched.as("long"));
      branch(branches, "tombstones").mapValues(v -> "deleted").to("branch-tombstones");
      branch(branches, "short").to("branch-short");
      branch(branches, "long").to("branch-long");
      branch(branches, "short").merge(branch(branches, "long")).peek((k, v) -> {}).to("merged");
    }).strings("words", "rekeyed", "flat", "branch-tombstones", "branch-short", "branch-long", "merged");

    // 1b. Fan-out and merge: the order of successors in describe() (Kafka's node sizes).
    define("fan-out-merge", b -> {
      KStream<String, String> source = b.stream("in");
      source.peek((k, v) -> {}).to("a");
      KStream<String, String> left = source.filter((k, v) -> true);
      KStream<String, String> right = source.mapValues(v -> v);
      left.merge(right).to("merged");
    }).strings("a", "merged");

    // 2. Word count through a repartition topic.
    define("wordcount", b -> b.<String, String>stream("lines")
        .flatMapValues(v -> v == null ? Collections.<String>emptyList() : lowerWords(v))
        .groupBy((k, w) -> w)
        .count()
        .toStream()
        .to("word-counts", Produced.with(STRING, LONG))).longs("word-counts");

    // 3. Stream aggregations: reduce, aggregate, and a reduce of longs after a key change.
    define("reduce-aggregate", b -> {
      KStream<String, String> events = b.stream("events");
      KGroupedStream<String, String> byKey = events.groupByKey();
      byKey.reduce((a, v) -> a + "|" + v).toStream().to("reduced");
      byKey
          .aggregate(() -> 0L, (k, v, agg) -> agg + (v == null ? 0 : v.length()), Materialized.with(STRING, LONG))
          .toStream()
          .to("lengths", Produced.with(STRING, LONG));
      events
          .mapValues(v -> v == null ? null : (long) v.length())
          .selectKey((k, v) -> k == null || k.isEmpty() ? k : k.substring(0, 1))
          .groupByKey(Grouped.with(STRING, LONG))
          .reduce(Long::sum)
          .toStream()
          .to("sum-by-initial", Produced.with(STRING, LONG));
    }).strings("reduced").longs("lengths", "sum-by-initial");

    // 4. A table re-grouped: rows move between groups, deletes subtract.
    define("table-regroup", b -> {
      KTable<String, String> users = b.table("users");
      KGroupedTable<String, String> byRegion = users.groupBy((k, v) -> KeyValue.pair(region(v), v));
      byRegion
          .aggregate(() -> 0L, (k, v, agg) -> agg + amount(v), (k, v, agg) -> agg - amount(v), Materialized.with(STRING, LONG))
          .toStream()
          .to("region-totals", Produced.with(STRING, LONG));
      byRegion.count().toStream().to("region-counts", Produced.with(STRING, LONG));
      byRegion.reduce((a, v) -> a + "," + v, (a, v) -> a + ",-" + v).toStream().to("region-rows");
    }).longs("region-totals", "region-counts").strings("region-rows");

    // 4b. Table filter/mapValues, and a stream turned into a table.
    define("table-ops", b -> {
      KTable<String, String> rows = b.table("rows");
      rows.filter((k, v) -> v.startsWith("a")).mapValues(v -> v.toUpperCase(Locale.ROOT)).toStream().to("filtered");
      rows.filterNot((k, v) -> v.startsWith("a")).toStream().to("rejected");
      b.<String, String>stream("events").toTable().toStream().to("as-table");
    }).strings("filtered", "rejected", "as-table");

    // 5. Time windows: tumbling and hopping, on every update and final.
    define("time-windows", b -> {
      KGroupedStream<String, String> clicks = b.<String, String>stream("clicks").groupByKey();
      Serde<Windowed<String>> windowed = WindowedSerdes.timeWindowedSerdeFrom(String.class, 10);
      TimeWindows tumbling = TimeWindows.ofSizeAndGrace(Duration.ofMillis(10), Duration.ofMillis(5));
      clicks.windowedBy(tumbling).count().toStream().to("tumbling", Produced.with(windowed, LONG));
      clicks
          .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(10), Duration.ofMillis(3)).advanceBy(Duration.ofMillis(5)))
          .count()
          .toStream()
          .to("hopping", Produced.with(windowed, LONG));
      clicks
          .windowedBy(tumbling)
          .count(Materialized.with(STRING, LONG))
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
          .toStream()
          .to("tumbling-suppressed", Produced.with(windowed, LONG));
    }).timeWindowedLongs(10, "tumbling", "hopping", "tumbling-suppressed");

    // 5b. Time windows, final results only (emitStrategy onWindowClose).
    define("time-windows-on-close", b -> {
      KGroupedStream<String, String> clicks = b.<String, String>stream("clicks").groupByKey();
      Serde<Windowed<String>> windowed = WindowedSerdes.timeWindowedSerdeFrom(String.class, 10);
      clicks
          .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(10), Duration.ofMillis(5)))
          .emitStrategy(EmitStrategy.onWindowClose())
          .count()
          .toStream()
          .to("tumbling-on-close", Produced.with(windowed, LONG));
      clicks
          .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(10), Duration.ofMillis(3)).advanceBy(Duration.ofMillis(5)))
          .emitStrategy(EmitStrategy.onWindowClose())
          .count()
          .toStream()
          .to("hopping-on-close", Produced.with(windowed, LONG));
    }).timeWindowedLongs(10, "tumbling-on-close", "hopping-on-close");

    // 6a. Sliding windows.
    define("sliding-windows", b -> {
      KGroupedStream<String, String> clicks = b.<String, String>stream("clicks").groupByKey();
      Serde<Windowed<String>> windowed = WindowedSerdes.timeWindowedSerdeFrom(String.class, 10);
      SlidingWindows sliding = SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(10), Duration.ofMillis(5));
      clicks.windowedBy(sliding).count().toStream().to("sliding", Produced.with(windowed, LONG));
      clicks
          .windowedBy(sliding)
          .count(Materialized.with(STRING, LONG))
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
          .toStream()
          .to("sliding-suppressed", Produced.with(windowed, LONG));
    }).timeWindowedLongs(10, "sliding", "sliding-suppressed");

    // 6a'. Sliding windows, final results only.
    define("sliding-windows-on-close", b -> b.<String, String>stream("clicks")
        .groupByKey()
        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(10), Duration.ofMillis(5)))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count()
        .toStream()
        .to("sliding-on-close", Produced.with(WindowedSerdes.timeWindowedSerdeFrom(String.class, 10), LONG)))
        .timeWindowedLongs(10, "sliding-on-close");

    // 6b. Session windows with merges.
    define("session-windows", b -> {
      KGroupedStream<String, String> clicks = b.<String, String>stream("clicks").groupByKey();
      Serde<Windowed<String>> windowed = WindowedSerdes.sessionWindowedSerdeFrom(String.class);
      SessionWindows sessions = SessionWindows.ofInactivityGapAndGrace(Duration.ofMillis(5), Duration.ofMillis(10));
      clicks.windowedBy(sessions).count().toStream().to("sessions", Produced.with(windowed, LONG));
      clicks
          .windowedBy(sessions)
          .count(Materialized.with(STRING, LONG))
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
          .toStream()
          .to("sessions-suppressed", Produced.with(windowed, LONG));
      clicks.windowedBy(sessions).emitStrategy(EmitStrategy.onWindowClose()).count().toStream().to("sessions-on-close", Produced.with(windowed, LONG));
    }).sessionWindowedLongs("sessions", "sessions-suppressed", "sessions-on-close");

    // 7a. Stream-stream joins.
    define("stream-stream-joins", b -> {
      KStream<String, String> left = b.stream("left");
      KStream<String, String> right = b.stream("right");
      JoinWindows windows = JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(5), Duration.ofMillis(3));
      left.join(right, Reference::joined, windows).to("inner");
      left.leftJoin(right, Reference::joined, windows).to("left-join");
      left.outerJoin(right, Reference::joined, windows).to("outer");
    }).strings("inner", "left-join", "outer");

    // 7b. Stream-table joins.
    define("stream-table-joins", b -> {
      KStream<String, String> orders = b.stream("orders");
      KTable<String, String> customers = b.table("customers");
      orders.join(customers, Reference::joined).to("inner");
      orders.leftJoin(customers, Reference::joined).to("left-join");
    }).strings("inner", "left-join");

    // 7c. Table-table joins.
    define("table-table-joins", b -> {
      KTable<String, String> left = b.table("left");
      KTable<String, String> right = b.table("right");
      left.join(right, Reference::joined).toStream().to("inner");
      left.leftJoin(right, Reference::joined).toStream().to("left-join");
      left.outerJoin(right, Reference::joined).toStream().to("outer");
    }).strings("inner", "left-join", "outer");

    // 7d. Foreign-key joins: orders `product:qty` joined to products by product.
    define("foreign-key-joins", b -> {
      KTable<String, String> orders = b.table("orders");
      KTable<String, String> products = b.table("products");
      orders.join(products, Reference::region, Reference::joined).toStream().to("inner");
      orders.leftJoin(products, Reference::region, Reference::joined).toStream().to("left-join");
    }).strings("inner", "left-join");

    // Each room of cases beyond these registers its own topologies.
    ConformanceTopologies.register();
    CogroupTopologies.register();
    ProcessTopologies.register();
    VersionedTopologies.register();
  }

  private static Properties config(Path stateDir, String stores) {
    Properties props = new Properties();
    // "rocksDB" (Kafka Streams' default) or "in_memory" (the kind of store Tributary has).
    switch (stores) {
      case "rocksDB":
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers.class);
        break;
      case "in_memory":
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
        break;
      default:
        throw new IllegalArgumentException("stores must be 'rocksDB' or 'in_memory', got '" + stores + "'");
    }
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-app");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "reference:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    // Caches off: every update is forwarded, as Tributary forwards it.
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    // No wall-clock throttling of left/outer join results and of final window results
    // (what Kafka Streams' own tests do; Tributary checks on every record).
    props.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_OUTER_JOIN_SPURIOUS_RESULTS_FIX, 0L);
    props.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, 0L);
    return props;
  }

  static ObjectNode run(JsonNode scenario, Path stateRoot, int index) throws Exception {
    ObjectNode result = JSON.createObjectNode();
    String name = scenario.path("name").asText(scenario.path("topology").asText());
    result.put("name", name);
    String topologyName = scenario.path("topology").asText();
    Definition definition = TOPOLOGIES.get(topologyName);
    if (definition == null) {
      result.put("error", "unknown topology '" + topologyName + "'; known: " + TOPOLOGIES.keySet());
      return result;
    }
    StreamsBuilder builder = new StreamsBuilder();
    definition.build.accept(builder);
    Topology topology = builder.build();
    result.put("describe", topology.describe().toString());
    ObjectNode outputs = result.putObject("outputs");
    Path stateDir = Files.createDirectories(stateRoot.resolve("scenario-" + index));
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, config(stateDir, scenario.path("stores").asText("rocksDB")), Instant.EPOCH)) {
      Map<String, TestInputTopic<String, String>> inputs = new HashMap<>();
      for (JsonNode input : scenario.path("inputs")) {
        // `{ "advanceWallClockMs": n }` moves the driver's wall clock (and fires wall-clock punctuators).
        if (input.has("advanceWallClockMs")) {
          driver.advanceWallClockTime(Duration.ofMillis(input.get("advanceWallClockMs").asLong()));
          continue;
        }
        String topic = input.path("topic").asText();
        TestInputTopic<String, String> in =
            inputs.computeIfAbsent(topic, t -> driver.createInputTopic(t, new StringSerializer(), new StringSerializer()));
        in.pipeInput(text(input.get("key")), text(input.get("value")), input.path("timestamp").asLong());
      }
      for (JsonNode topicNode : scenario.path("outputs")) {
        String topic = topicNode.asText();
        Output output = definition.outputs.get(topic);
        if (output == null) throw new IllegalArgumentException("topology '" + topologyName + "' has no output topic '" + topic + "'");
        ArrayNode records = outputs.putArray(topic);
        @SuppressWarnings({"unchecked", "rawtypes"})
        TestOutputTopic<Object, Object> out = driver.createOutputTopic(topic, (Deserializer) output.key, (Deserializer) output.value);
        for (TestRecord<Object, Object> record : out.readRecordsToList()) {
          ObjectNode r = records.addObject();
          r.set("key", JSON.valueToTree(formatKey(record.key())));
          r.set("value", JSON.valueToTree(record.value()));
          r.put("timestamp", record.timestamp());
        }
      }
    } catch (Exception | AssertionError e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      result.put("error", trace.toString());
    }
    return result;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static Object formatKey(Object key) {
    if (key instanceof Windowed) {
      Windowed<?> w = (Windowed<?>) key;
      return w.key() + "@" + w.window().start() + "/" + w.window().end();
    }
    return key;
  }

  public static void main(String[] args) throws Exception {
    JsonNode input = JSON.readTree(System.in);
    // State stores (RocksDB, Kafka Streams' default) under reference.stateRoot when given: run.sh
    // passes /dev/shm, where flushing a store after every record costs nothing.
    String root = System.getProperty("reference.stateRoot");
    Path stateRoot = root == null || root.isEmpty()
        ? Files.createTempDirectory("kafka-streams-reference")
        : Files.createTempDirectory(Path.of(root), "kafka-streams-reference");
    try {
      if (input.isArray()) {
        ArrayNode results = JSON.createArrayNode();
        int i = 0;
        boolean timing = System.getenv("REFERENCE_TIMING") != null;
        for (JsonNode scenario : input) {
          long started = System.nanoTime();
          results.add(run(scenario, stateRoot, i++));
          if (timing) System.err.printf("%6d ms  %s%n", (System.nanoTime() - started) / 1_000_000, scenario.path("name").asText());
        }
        System.out.println(JSON.writeValueAsString(results));
      } else {
        System.out.println(JSON.writeValueAsString(run(input, stateRoot, 0)));
      }
    } finally {
      deleteRecursively(stateRoot);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      List<Path> all = new ArrayList<>();
      paths.forEach(all::add);
      all.sort(Comparator.reverseOrder());
      for (Path p : all) Files.deleteIfExists(p);
    } catch (Exception ignored) {
      // A temporary directory; the OS cleans it up eventually.
    }
  }
}
