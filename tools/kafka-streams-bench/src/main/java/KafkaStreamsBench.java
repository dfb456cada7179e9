import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Kafka Streams' side of `pnpm bench:compare` (test/bench/compare): runs one variant on a real
 * broker until it is stopped (SIGTERM), printing JSON lines on stdout for the harness:
 * {"event":"starting"} just before start(), {"event":"state","state":...} on every state change,
 * and {"event":"progress","processed":N} once a second (the stream threads' process-total, summed).
 *
 * The topologies are the twins of test/bench/compare/topologies.ts; the workload (records,
 * keys, the filter and the mapping) is defined in test/bench/compare/workload.ts.
 *
 * Arguments (all --name value):
 *   --variant     stateless | windowed | join | exactly-once (the stateless topology with
 *                 processing.guarantee exactly_once_v2) | crm (the CRM application of
 *                 packages/examples, crm/CrmTopology.java, on the Online Retail interactions)
 *   --brokers     bootstrap servers
 *   --input       the interactions topic
 *   --table       the customers topic (join only)
 *   --output      the output topic (crm: the prefix of its three output topics)
 *   --application-id
 *   --caching     off | on: statestore.cache.max.bytes 0, or Kafka Streams' default 10 MiB
 *                 (crm: caches only the stores the example caches, see CrmTopology)
 *   --store       memory | rocksdb (default memory: Tributary's stores are in memory)
 *   --commit-interval-ms   default 1000
 *   --threads     num.stream.threads, default 1
 *   --state-dir   default java.io.tmpdir/kafka-streams
 */
public final class KafkaStreamsBench {
  /** A customer interaction, the input value (about 206 bytes of JSON). */
  public record Interaction(
      String eventId,
      String customerId,
      String type,
      String productId,
      double amount,
      String currency,
      String channel,
      String locale,
      String sessionId,
      long timestamp) {}

  /** What the stateless variant writes: `slim` in workload.ts. */
  public record Slim(String customerId, String type, long cents, String channel, long at) {}

  /** A customer profile, the table side of the join. */
  public record Customer(String customerId, String name, String segment, String country) {}

  /** What the join writes: the interaction, slimmed, with the customer's segment (null if none). */
  public record Enriched(String customerId, String type, long cents, String segment) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** A JSON serde for one record class, as Kafka Streams applications usually write one. */
  static <T> Serde<T> json(Class<T> type) {
    Serializer<T> serializer = (topic, value) -> {
      if (value == null) return null;
      try {
        return JSON.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    Deserializer<T> deserializer = (topic, bytes) -> {
      if (bytes == null) return null;
      try {
        return JSON.readValue(bytes, type);
      } catch (IOException e) {
        throw new UncheckedIOException(type.getSimpleName() + " from topic " + topic + ": " + e.getMessage(), e);
      }
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  static boolean keep(Interaction i) {
    return !"bounce".equals(i.type());
  }

  static Slim slim(Interaction i) {
    return new Slim(i.customerId(), i.type(), Math.round(i.amount() * 100), i.channel(), i.timestamp());
  }

  static Topology topology(Map<String, String> args) {
    String variant = required(args, "variant");
    String input = required(args, "input");
    String output = required(args, "output");
    boolean rocksdb = "rocksdb".equals(args.getOrDefault("store", "memory"));
    StreamsBuilder builder = new StreamsBuilder();
    Consumed<String, Interaction> interactions = Consumed.with(Serdes.String(), json(Interaction.class));
    switch (variant) {
      case "stateless", "exactly-once" -> builder.stream(input, interactions)
          .filter((k, v) -> keep(v))
          .mapValues(KafkaStreamsBench::slim)
          .to(output, Produced.with(Serdes.String(), json(Slim.class)));
      case "windowed" -> {
        Duration minute = Duration.ofMinutes(1);
        Materialized<String, Long, WindowStore<Bytes, byte[]>> store = rocksdb
            ? Materialized.as("interactions-per-minute")
            : Materialized.as(Stores.inMemoryWindowStore("interactions-per-minute", minute, minute, false));
        builder.stream(input, interactions)
            .groupByKey()
            .windowedBy(TimeWindows.ofSizeWithNoGrace(minute))
            .count(store.withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
            .toStream()
            .map((windowed, count) -> KeyValue.pair(windowed.key() + "@" + windowed.window().start(), Long.toString(count)))
            .to(output, Produced.with(Serdes.String(), Serdes.String()));
      }
      case "join" -> {
        String tableTopic = required(args, "table");
        Materialized<String, Customer, KeyValueStore<Bytes, byte[]>> store = rocksdb
            ? Materialized.as("customers")
            : Materialized.as(Stores.inMemoryKeyValueStore("customers"));
        KTable<String, Customer> customers =
            builder.table(tableTopic, Consumed.with(Serdes.String(), json(Customer.class)), store.withKeySerde(Serdes.String()).withValueSerde(json(Customer.class)));
        builder.stream(input, interactions)
            .leftJoin(customers, (i, c) -> new Enriched(i.customerId(), i.type(), Math.round(i.amount() * 100), c == null ? null : c.segment()))
            .to(output, Produced.with(Serdes.String(), json(Enriched.class)));
      }
      case "crm" -> crm.CrmTopology.addTo(builder, input, output, rocksdb);
      default -> throw new IllegalArgumentException("--variant must be stateless, windowed, join, exactly-once or crm (got '" + variant + "')");
    }
    Properties props = new Properties();
    // The source topic is the table's changelog, as in Tributary: no extra changelog for the join's table.
    props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
    return builder.build(props);
  }

  static Properties config(Map<String, String> args) {
    String caching = args.getOrDefault("caching", "off");
    if (!caching.equals("off") && !caching.equals("on")) throw new IllegalArgumentException("--caching must be off or on (got '" + caching + "')");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, required(args, "application-id"));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, required(args, "brokers"));
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.parseInt(args.getOrDefault("threads", "1")));
    boolean exactlyOnce = "exactly-once".equals(args.get("variant"));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, exactlyOnce ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.parseLong(args.getOrDefault("commit-interval-ms", "1000")));
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, caching.equals("on") ? 10L * 1024 * 1024 : 0L);
    props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
    props.put(StreamsConfig.STATE_DIR_CONFIG, args.getOrDefault("state-dir", System.getProperty("java.io.tmpdir") + "/kafka-streams"));
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // The CRM application skips a value that is not an interaction, as the example does (logAndContinue).
    if ("crm".equals(args.get("variant"))) props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    return props;
  }

  static String required(Map<String, String> args, String name) {
    String value = args.get(name);
    if (value == null || value.isEmpty()) throw new IllegalArgumentException("missing --" + name);
    return value;
  }

  static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) throw new IllegalArgumentException("arguments are --name value pairs; bad: " + argv[i]);
      args.put(argv[i].substring(2), argv[++i]);
    }
    return args;
  }

  /** The stream threads' records processed so far (Kafka Streams' own process-total metric, summed). */
  static long processed(KafkaStreams streams) {
    double total = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
      MetricName name = e.getKey();
      if (name.name().equals("process-total") && name.group().equals("stream-thread-metrics")) {
        total += ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    return (long) total;
  }

  static synchronized void emit(String line) {
    System.out.println(line);
    System.out.flush();
  }

  public static void main(String[] argv) throws InterruptedException {
    Map<String, String> args;
    Topology topology;
    Properties props;
    try {
      args = parse(argv);
      topology = topology(args);
      props = config(args);
    } catch (IllegalArgumentException e) {
      System.err.println("kafka-streams-bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    KafkaStreams streams = new KafkaStreams(topology, props);
    CountDownLatch stopped = new CountDownLatch(1);
    streams.setStateListener((now, before) -> emit("{\"event\":\"state\",\"state\":\"" + now + "\"}"));
    streams.setUncaughtExceptionHandler(e -> {
      System.err.println("kafka-streams-bench: " + e);
      stopped.countDown();
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close(Duration.ofSeconds(10));
      stopped.countDown();
    }));
    emit("{\"event\":\"starting\"}");
    streams.start();
    while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
      emit("{\"event\":\"progress\",\"processed\":" + processed(streams) + "}");
    }
  }
}
