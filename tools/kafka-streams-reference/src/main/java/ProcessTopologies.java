import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Printed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** Reference topologies: process (their TypeScript twins: test/reference/process/topologies.ts). */
final class ProcessTopologies {
  private ProcessTopologies() {}

  private static final Serde<String> STRING = Reference.STRING;
  private static final Serde<Long> LONG = Reference.LONG;

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** Counts records per key in a store; every 10 ms of stream time forwards every count. */
  static final class Counter implements Processor<String, String, String, String> {
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, Long> counts;

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
      counts = context.getStateStore("counts");
      context.schedule(ms(10), PunctuationType.STREAM_TIME, timestamp -> {
        try (KeyValueIterator<String, Long> all = counts.all()) {
          while (all.hasNext()) {
            KeyValue<String, Long> entry = all.next();
            context.forward(new Record<>(entry.key, "count=" + entry.value + "@" + timestamp, timestamp));
          }
        }
      });
    }

    @Override
    public void process(Record<String, String> record) {
      if (record.key() == null) {
        context.forward(record.withValue("no-key:" + record.value()));
        return;
      }
      Long previous = counts.get(record.key());
      long n = previous == null ? 1 : previous + 1;
      counts.put(record.key(), n);
      context.forward(record.withValue(record.value() + "#" + n));
    }
  }

  /** Ticks every 25 ms of stream time, three times, then cancels itself. */
  static final class ThreeTicks implements Processor<String, String, String, String> {
    private int ticks;
    private Cancellable schedule;

    @Override
    public void init(ProcessorContext<String, String> context) {
      schedule = context.schedule(ms(25), PunctuationType.STREAM_TIME, timestamp -> {
        ticks++;
        context.forward(new Record<>("tick", ticks + "@" + timestamp, timestamp));
        if (ticks == 3) schedule.cancel();
      });
    }

    @Override
    public void process(Record<String, String> record) {}
  }

  /**
   * Tags each value with the key's previous one (kept in a store); remembers the latest record
   * per key and, every 20 ms of stream time, forwards those records again, by key.
   */
  static final class Tagger implements FixedKeyProcessor<String, String, String> {
    private FixedKeyProcessorContext<String, String> context;
    private KeyValueStore<String, String> last;
    private final Map<String, FixedKeyRecord<String, String>> pending = new TreeMap<>();

    @Override
    public void init(FixedKeyProcessorContext<String, String> context) {
      this.context = context;
      last = context.getStateStore("last-values");
      context.schedule(ms(20), PunctuationType.STREAM_TIME, timestamp -> {
        for (FixedKeyRecord<String, String> record : pending.values()) {
          context.forward(record.withValue("flush:" + record.value()).withTimestamp(timestamp));
        }
        pending.clear();
      });
    }

    @Override
    public void process(FixedKeyRecord<String, String> record) {
      if (record.key() == null) {
        context.forward(record.withValue("anon:" + record.value()));
        return;
      }
      String previous = last.get(record.key());
      last.put(record.key(), record.value());
      pending.put(record.key(), record);
      context.forward(record.withValue(previous + ">" + record.value()));
    }
  }

  /** Keeps the latest value per key; every 100 ms of wall-clock time forwards how many keys it holds. */
  static final class Latest implements Processor<String, String, String, String> {
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, String> latest;

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
      latest = context.getStateStore("latest");
      context.schedule(ms(100), PunctuationType.WALL_CLOCK_TIME, now -> {
        long entries = 0;
        try (KeyValueIterator<String, String> all = latest.all()) {
          while (all.hasNext()) {
            all.next();
            entries++;
          }
        }
        context.forward(new Record<>("clock", "entries=" + entries + "@" + now, now));
      });
    }

    @Override
    public void process(Record<String, String> record) {
      if (record.key() != null) latest.put(record.key(), record.value());
      context.forward(record.withValue("seen:" + record.value()));
    }
  }

  /** Forwards the last record it received again every 70 ms of wall-clock time. */
  static final class Echo implements FixedKeyProcessor<String, String, String> {
    private FixedKeyProcessorContext<String, String> context;
    private FixedKeyRecord<String, String> last;

    @Override
    public void init(FixedKeyProcessorContext<String, String> context) {
      this.context = context;
      context.schedule(ms(70), PunctuationType.WALL_CLOCK_TIME, now -> {
        if (last != null) context.forward(last.withValue("wall@" + now).withTimestamp(now));
      });
    }

    @Override
    public void process(FixedKeyRecord<String, String> record) {
      last = record;
      context.forward(record.withValue("echo:" + record.value()));
    }
  }

  /** The global store's writer: upper-cased values, deleted by tombstones. */
  static final class PriceUpdater implements Processor<String, String, Void, Void> {
    private KeyValueStore<String, String> prices;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      prices = context.getStateStore("prices");
    }

    @Override
    public void process(Record<String, String> record) {
      if (record.key() == null) return;
      if (record.value() == null) prices.delete(record.key());
      else prices.put(record.key(), record.value().toUpperCase(Locale.ROOT));
    }
  }

  /** The global store's writer: the history of each key's values, deleted by tombstones. */
  static final class RateHistory implements Processor<String, String, Void, Void> {
    private KeyValueStore<String, String> rates;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      rates = context.getStateStore("rates");
    }

    @Override
    public void process(Record<String, String> record) {
      if (record.key() == null) return;
      if (record.value() == null) {
        rates.delete(record.key());
        return;
      }
      String previous = rates.get(record.key());
      rates.put(record.key(), previous == null ? record.value() : previous + "," + record.value());
    }
  }

  /** Puts each record in its 10 ms window of a window store and forwards the key's windows of the last 30 ms. */
  static final class Recent implements Processor<String, String, String, String> {
    private ProcessorContext<String, String> context;
    private WindowStore<String, String> recent;

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
      recent = context.getStateStore("recent");
    }

    @Override
    public void process(Record<String, String> record) {
      if (record.key() == null || record.value() == null) return;
      long start = record.timestamp() - record.timestamp() % 10;
      recent.put(record.key(), record.value(), start);
      StringBuilder windows = new StringBuilder();
      try (WindowStoreIterator<String> found = recent.fetch(record.key(), start - 30, start)) {
        while (found.hasNext()) {
          KeyValue<Long, String> window = found.next();
          if (windows.length() > 0) windows.append(',');
          windows.append(window.key).append(':').append(window.value);
        }
      }
      context.forward(record.withValue(windows.toString()));
    }
  }

  static void register() {
    // Stores and stream-time punctuators: a counter forwarding its counts every 10 ms, and a
    // ticker on a branch of its own that cancels itself after three ticks.
    Reference.define("process-stores-punctuators", b -> {
      b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("counts"), STRING, LONG));
      KStream<String, String> events = b.stream("events");
      events.process(Counter::new, "counts").to("processed");
      events.process(ThreeTicks::new).to("ticks");
    }).strings("processed", "ticks");

    // processValues: a store and a punctuator forwarding remembered records; keys never change,
    // so the count after it needs no repartition.
    Reference.define("process-values", b -> {
      b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("last-values"), STRING, STRING));
      KStream<String, String> tagged = b.<String, String>stream("events").processValues(Tagger::new, "last-values");
      tagged.to("tagged");
      tagged.groupByKey().count().toStream().to("tag-counts", Produced.with(STRING, LONG));
    }).strings("tagged").longs("tag-counts");

    // process may change keys: a later grouping repartitions, even after a processValues.
    Reference.define("process-rekey", b -> {
      KStream<String, String> byInitial = b.<String, String>stream("lines").process(() -> new Processor<String, String, String, String>() {
        private ProcessorContext<String, String> context;

        @Override
        public void init(ProcessorContext<String, String> context) {
          this.context = context;
        }

        @Override
        public void process(Record<String, String> record) {
          if (record.value() == null) return;
          for (String word : Reference.words(record.value())) context.forward(record.withKey(word.substring(0, 1)).withValue(word));
        }
      });
      byInitial.to("by-initial");
      byInitial
          .processValues(() -> new FixedKeyProcessor<String, String, String>() {
            private FixedKeyProcessorContext<String, String> context;

            @Override
            public void init(FixedKeyProcessorContext<String, String> context) {
              this.context = context;
            }

            @Override
            public void process(FixedKeyRecord<String, String> record) {
              context.forward(record.withValue(record.value().toLowerCase(Locale.ROOT)));
            }
          })
          .groupByKey()
          .count()
          .toStream()
          .to("initial-counts", Produced.with(STRING, LONG));
    }).strings("by-initial").longs("initial-counts");

    // Wall-clock punctuators, in process and in processValues (scenarios move the clock).
    Reference.define("process-wall-clock", b -> {
      b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("latest"), STRING, STRING));
      b.<String, String>stream("events").process(Latest::new, "latest").to("clocked");
      b.<String, String>stream("pings").processValues(Echo::new).to("echoed");
    }).strings("clocked", "echoed");

    // A global store with its own writer, looked up by a processor of the stream.
    Reference.define("global-store-lookup", b -> {
      b.addGlobalStore(
          Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("prices"), STRING, STRING),
          "price-updates",
          Consumed.with(STRING, STRING),
          PriceUpdater::new);
      b.<String, String>stream("orders").process(() -> new Processor<String, String, String, String>() {
        private ProcessorContext<String, String> context;
        private KeyValueStore<String, String> prices;

        @Override
        public void init(ProcessorContext<String, String> context) {
          this.context = context;
          prices = context.getStateStore("prices");
        }

        @Override
        public void process(Record<String, String> record) {
          String price = record.value() == null ? null : prices.get(record.value());
          context.forward(record.withValue(record.value() + "=" + price));
        }
      }).to("priced");
    }).strings("priced");

    // A named global store (`<name>-source`, `<name>`), read by a processValues, printed.
    Reference.define("global-store-named", b -> {
      KStream<String, String> amounts = b.stream("amounts");
      KStream<String, String> converted = amounts.processValues(() -> new FixedKeyProcessor<String, String, String>() {
        private FixedKeyProcessorContext<String, String> context;
        private KeyValueStore<String, String> rates;

        @Override
        public void init(FixedKeyProcessorContext<String, String> context) {
          this.context = context;
          rates = context.getStateStore("rates");
        }

        @Override
        public void process(FixedKeyRecord<String, String> record) {
          String rate = record.key() == null ? null : rates.get(record.key());
          context.forward(record.withValue(record.value() + "*" + rate));
        }
      });
      converted.print(Printed.<String, String>toFile("/dev/null").withLabel("converted"));
      converted.to("converted");
      // Last: Kafka Streams draws a generated name for the named source (README: "Named operations
      // do not use up a generated index").
      b.addGlobalStore(
          Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("rates"), STRING, STRING),
          "rate-updates",
          Consumed.with(STRING, STRING).withName("rates"),
          RateHistory::new);
    }).strings("converted");

    // Two topics merged into one process: stream time comes from both; a print of the merge.
    Reference.define("process-merged", b -> {
      KStream<String, String> merged = b.<String, String>stream("left").merge(b.stream("right"));
      merged.process(() -> new Processor<String, String, String, String>() {
        private ProcessorContext<String, String> context;
        private int seen;

        @Override
        public void init(ProcessorContext<String, String> context) {
          this.context = context;
          context.schedule(ms(15), PunctuationType.STREAM_TIME, timestamp -> {
            context.forward(new Record<>("window", "seen=" + seen + "@" + timestamp, timestamp));
            seen = 0;
          });
        }

        @Override
        public void process(Record<String, String> record) {
          seen++;
          if (record.value() != null && record.value().length() > 3) context.forward(record.withValue(record.value().toUpperCase(Locale.ROOT)));
        }
      }).to("merged-processed");
      // Last: Kafka Streams draws a generated name for a named print too (README: "Named
      // operations do not use up a generated index").
      merged.print(Printed.<String, String>toFile("/dev/null").withName("debug-print").withKeyValueMapper((k, v) -> k + "=" + v));
    }).strings("merged-processed");

    // A join after processValues reads the stream as it is; after process it repartitions.
    Reference.define("process-then-join", b -> {
      KTable<String, String> customers = b.table("customers");
      KStream<String, String> orders = b.stream("orders");
      orders
          .processValues(() -> new FixedKeyProcessor<String, String, String>() {
            private FixedKeyProcessorContext<String, String> context;

            @Override
            public void init(FixedKeyProcessorContext<String, String> context) {
              this.context = context;
            }

            @Override
            public void process(FixedKeyRecord<String, String> record) {
              context.forward(record.withValue("order:" + record.value()));
            }
          })
          .join(customers, Reference::joined)
          .to("joined-values");
      orders
          .process(() -> new Processor<String, String, String, String>() {
            private ProcessorContext<String, String> context;

            @Override
            public void init(ProcessorContext<String, String> context) {
              this.context = context;
            }

            @Override
            public void process(Record<String, String> record) {
              if (record.value() != null) context.forward(record.withKey(record.value()).withValue(record.key()));
            }
          })
          .leftJoin(customers, Reference::joined)
          .to("joined-swapped");
    }).strings("joined-values", "joined-swapped");

    // A custom processor with a window store.
    Reference.define("process-window-store", b -> {
      b.addStateStore(Stores.windowStoreBuilder(Stores.inMemoryWindowStore("recent", ms(30), ms(10), false), STRING, STRING));
      b.<String, String>stream("events").process(Recent::new, "recent").to("recent");
    }).strings("recent");
  }
}
