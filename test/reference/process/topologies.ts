// Reference topologies: process (their Java twins: tools/kafka-streams-reference/src/main/java/ProcessTopologies.java).
import {
  Printed,
  Stores,
  StreamsBuilder,
  type Cancellable,
  type FixedKeyProcessor,
  type FixedKeyProcessorContext,
  type FixedKeyRecord,
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  type StreamRecord,
  type WindowStore,
} from '@tributary/core';
import { joined, longSerde, longs, strings, words, type Key, type TopologyDefinition, type Value } from '../definition';

/** Counts records per key in a store; every 10 ms of stream time forwards every count. */
class Counter implements Processor<Key, Value, Key, string> {
  private context!: ProcessorContext<Key, string>;
  private counts!: KeyValueStore<string, number>;

  init(context: ProcessorContext<Key, string>): void {
    this.context = context;
    this.counts = context.getStateStore('counts');
    context.schedule(10, 'stream-time', (timestamp) => {
      for (const [key, n] of this.counts.all()) context.forward({ key, value: `count=${n}@${timestamp}`, timestamp });
    });
  }

  process(record: StreamRecord<Key, Value>): void {
    if (record.key === null) {
      this.context.forward({ key: null, value: `no-key:${record.value}` });
      return;
    }
    const n = (this.counts.get(record.key) ?? 0) + 1;
    this.counts.put(record.key, n);
    this.context.forward({ key: record.key, value: `${record.value}#${n}` });
  }
}

/** Ticks every 25 ms of stream time, three times, then cancels itself. */
class ThreeTicks implements Processor<Key, Value, string, string> {
  private ticks = 0;
  private schedule!: Cancellable;

  init(context: ProcessorContext<string, string>): void {
    this.schedule = context.schedule(25, 'stream-time', (timestamp) => {
      this.ticks++;
      context.forward({ key: 'tick', value: `${this.ticks}@${timestamp}`, timestamp });
      if (this.ticks === 3) this.schedule.cancel();
    });
  }

  process(): void {}
}

/**
 * Tags each value with the key's previous one (kept in a store); remembers the latest record
 * per key and, every 20 ms of stream time, forwards those records again, by key.
 */
class Tagger implements FixedKeyProcessor<Key, Value, string> {
  private context!: FixedKeyProcessorContext<Key, string>;
  private last!: KeyValueStore<string, Value>;
  private readonly pending = new Map<string, FixedKeyRecord<Key, Value>>();

  init(context: FixedKeyProcessorContext<Key, string>): void {
    this.context = context;
    this.last = context.getStateStore('last-values');
    context.schedule(20, 'stream-time', (timestamp) => {
      for (const key of [...this.pending.keys()].sort()) {
        const record = this.pending.get(key)!;
        context.forward(record.withValue(`flush:${record.value}`).withTimestamp(timestamp));
      }
      this.pending.clear();
    });
  }

  process(record: FixedKeyRecord<Key, Value>): void {
    if (record.key === null) {
      this.context.forward(record.withValue(`anon:${record.value}`));
      return;
    }
    const previous = this.last.get(record.key) ?? null;
    this.last.put(record.key, record.value);
    this.pending.set(record.key, record);
    this.context.forward(record.withValue(`${previous}>${record.value}`));
  }
}

/** Keeps the latest value per key; every 100 ms of wall-clock time forwards how many keys it holds. */
class Latest implements Processor<Key, Value, Key, string> {
  private context!: ProcessorContext<Key, string>;
  private latest!: KeyValueStore<string, Value>;

  init(context: ProcessorContext<Key, string>): void {
    this.context = context;
    this.latest = context.getStateStore('latest');
    context.schedule(100, 'wall-clock-time', (now) => {
      context.forward({ key: 'clock', value: `entries=${this.latest.all().length}@${now}`, timestamp: now });
    });
  }

  process(record: StreamRecord<Key, Value>): void {
    if (record.key !== null) this.latest.put(record.key, record.value);
    this.context.forward({ key: record.key, value: `seen:${record.value}` });
  }
}

/** Forwards the last record it received again every 70 ms of wall-clock time. */
class Echo implements FixedKeyProcessor<Key, Value, string> {
  private context!: FixedKeyProcessorContext<Key, string>;
  private last: FixedKeyRecord<Key, Value> | undefined;

  init(context: FixedKeyProcessorContext<Key, string>): void {
    this.context = context;
    context.schedule(70, 'wall-clock-time', (now) => {
      if (this.last) context.forward(this.last.withValue(`wall@${now}`).withTimestamp(now));
    });
  }

  process(record: FixedKeyRecord<Key, Value>): void {
    this.last = record;
    this.context.forward(record.withValue(`echo:${record.value}`));
  }
}

/** The global store's writer: upper-cased values, deleted by tombstones. */
class PriceUpdater implements Processor<Key, Value> {
  private prices!: KeyValueStore<string, string>;

  init(context: ProcessorContext<never, never>): void {
    this.prices = context.getStateStore('prices');
  }

  process(record: StreamRecord<Key, Value>): void {
    if (record.key === null) return;
    if (record.value === null) this.prices.delete(record.key);
    else this.prices.put(record.key, record.value.toUpperCase());
  }
}

/** The global store's writer: the history of each key's values, deleted by tombstones. */
class RateHistory implements Processor<Key, Value> {
  private rates!: KeyValueStore<string, string>;

  init(context: ProcessorContext<never, never>): void {
    this.rates = context.getStateStore('rates');
  }

  process(record: StreamRecord<Key, Value>): void {
    if (record.key === null) return;
    if (record.value === null) {
      this.rates.delete(record.key);
      return;
    }
    const previous = this.rates.get(record.key);
    this.rates.put(record.key, previous === undefined ? record.value : `${previous},${record.value}`);
  }
}

/** Puts each record in its 10 ms window of a window store and forwards the key's windows of the last 30 ms. */
class Recent implements Processor<Key, Value, Key, string> {
  private context!: ProcessorContext<Key, string>;
  private recent!: WindowStore<string, string>;

  init(context: ProcessorContext<Key, string>): void {
    this.context = context;
    this.recent = context.getStateStore('recent');
  }

  process(record: StreamRecord<Key, Value>): void {
    if (record.key === null || record.value === null) return;
    const start = record.timestamp - (record.timestamp % 10);
    this.recent.put(record.key, record.value, start, record.timestamp);
    const windows = this.recent.fetch(record.key, start - 30, start).map(([windowStart, value]) => `${windowStart}:${value}`);
    this.context.forward({ key: record.key, value: windows.join(',') });
  }
}

export const processTopologies: Record<string, TopologyDefinition> = {
  // Stores and stream-time punctuators: a counter forwarding its counts every 10 ms, and a
  // ticker on a branch of its own that cancels itself after three ticks.
  'process-stores-punctuators': {
    build: () => {
      const b = new StreamsBuilder();
      const events = b.stream<Key, Value>('events');
      events.process(() => new Counter(), { stores: [Stores.keyValueStore('counts')] }).to('processed');
      events.process(() => new ThreeTicks()).to('ticks');
      return b.build();
    },
    outputs: { processed: strings, ticks: strings },
    describe: true,
  },

  // processValues: a store and a punctuator forwarding remembered records; keys never change,
  // so the count after it needs no repartition.
  'process-values': {
    build: () => {
      const b = new StreamsBuilder();
      const tagged = b.stream<Key, Value>('events').processValues(() => new Tagger(), { stores: [Stores.keyValueStore('last-values')] });
      tagged.to('tagged');
      tagged.groupByKey().count().toStream().to('tag-counts', { valueSerde: longSerde });
      return b.build();
    },
    outputs: { tagged: strings, 'tag-counts': longs },
    describe: true,
  },

  // process may change keys: a later grouping repartitions, even after a processValues.
  'process-rekey': {
    build: () => {
      const b = new StreamsBuilder();
      const byInitial = b.stream<Key, Value>('lines').process<string, string>(() => {
        let context: ProcessorContext<string, string>;
        return {
          init: (c) => (context = c),
          process: (record) => {
            if (record.value === null) return;
            for (const word of words(record.value)) context.forward({ key: word.substring(0, 1), value: word });
          },
        };
      });
      byInitial.to('by-initial');
      byInitial
        .processValues<string>(() => {
          let context: FixedKeyProcessorContext<string, string>;
          return {
            init: (c) => (context = c),
            process: (record) => context.forward(record.withValue(record.value.toLowerCase())),
          };
        })
        .groupByKey()
        .count()
        .toStream()
        .to('initial-counts', { valueSerde: longSerde });
      return b.build();
    },
    outputs: { 'by-initial': strings, 'initial-counts': longs },
    describe: true,
  },

  // Wall-clock punctuators, in process and in processValues (scenarios move the clock).
  'process-wall-clock': {
    build: () => {
      const b = new StreamsBuilder();
      b.stream<Key, Value>('events').process(() => new Latest(), { stores: [Stores.keyValueStore('latest')] }).to('clocked');
      b.stream<Key, Value>('pings').processValues(() => new Echo()).to('echoed');
      return b.build();
    },
    outputs: { clocked: strings, echoed: strings },
    describe: true,
  },

  // A global store with its own writer, looked up by a processor of the stream.
  'global-store-lookup': {
    build: () => {
      const b = new StreamsBuilder();
      b.addGlobalStore(Stores.keyValueStore('prices'), 'price-updates', {}, () => new PriceUpdater());
      b.stream<Key, Value>('orders')
        .process<Key, string>(() => {
          let context: ProcessorContext<Key, string>;
          let prices: KeyValueStore<string, string>;
          return {
            init: (c) => {
              context = c;
              prices = c.getStateStore('prices');
            },
            process: (record) => {
              const price = record.value === null ? null : (prices.get(record.value) ?? null);
              context.forward({ key: record.key, value: `${record.value}=${price}` });
            },
          };
        })
        .to('priced');
      return b.build();
    },
    outputs: { priced: strings },
    describe: true,
  },

  // A named global store (`<name>-source`, `<name>`), read by a processValues, printed.
  'global-store-named': {
    build: () => {
      const b = new StreamsBuilder();
      const amounts = b.stream<Key, Value>('amounts');
      const converted = amounts.processValues<string>(() => {
        let context: FixedKeyProcessorContext<Key, string>;
        let rates: KeyValueStore<string, string>;
        return {
          init: (c) => {
            context = c;
            rates = c.getStateStore('rates');
          },
          process: (record) => {
            const rate = record.key === null ? null : (rates.get(record.key) ?? null);
            context.forward(record.withValue(`${record.value}*${rate}`));
          },
        };
      });
      converted.print(Printed.toFunction<Key, string>(() => {}).withLabel('converted'));
      converted.to('converted');
      // Last: Kafka Streams draws a generated name for the named source (README: "Named operations
      // do not use up a generated index").
      b.addGlobalStore(Stores.keyValueStore('rates'), 'rate-updates', { name: 'rates' }, () => new RateHistory());
      return b.build();
    },
    outputs: { converted: strings },
    describe: true,
  },

  // Two topics merged into one process: stream time comes from both; a print of the merge.
  'process-merged': {
    build: () => {
      const b = new StreamsBuilder();
      const merged = b.stream<Key, Value>('left').merge(b.stream<Key, Value>('right'));
      merged
        .process<Key, string>(() => {
          let context: ProcessorContext<Key, string>;
          let seen = 0;
          return {
            init: (c) => {
              context = c;
              c.schedule(15, 'stream-time', (timestamp) => {
                context.forward({ key: 'window', value: `seen=${seen}@${timestamp}`, timestamp });
                seen = 0;
              });
            },
            process: (record) => {
              seen++;
              if (record.value !== null && record.value.length > 3) context.forward({ key: record.key, value: record.value.toUpperCase() });
            },
          };
        })
        .to('merged-processed');
      // Last: Kafka Streams draws a generated name for a named print too (README: "Named
      // operations do not use up a generated index").
      merged.print(
        Printed.toFunction<Key, Value>(() => {})
          .withName('debug-print')
          .withKeyValueMapper((k, v) => `${k}=${v}`),
      );
      return b.build();
    },
    outputs: { 'merged-processed': strings },
    describe: true,
  },

  // A join after processValues reads the stream as it is; after process it repartitions.
  'process-then-join': {
    build: () => {
      const b = new StreamsBuilder();
      const customers = b.table<Key, string>('customers');
      const orders = b.stream<Key, Value>('orders');
      orders
        .processValues<string>(() => {
          let context: FixedKeyProcessorContext<Key, string>;
          return { init: (c) => (context = c), process: (record) => context.forward(record.withValue(`order:${record.value}`)) };
        })
        .join(customers, joined)
        .to('joined-values');
      orders
        .process<Key, Key>(() => {
          let context: ProcessorContext<Key, Key>;
          return {
            init: (c) => (context = c),
            process: (record) => {
              if (record.value !== null) context.forward({ key: record.value, value: record.key });
            },
          };
        })
        .leftJoin(customers, joined)
        .to('joined-swapped');
      return b.build();
    },
    outputs: { 'joined-values': strings, 'joined-swapped': strings },
    describe: true,
  },

  // A custom processor with a window store.
  'process-window-store': {
    build: () => {
      const b = new StreamsBuilder();
      b.stream<Key, Value>('events')
        .process(() => new Recent(), { stores: [Stores.windowStore('recent', { retention: 30, windowSize: 10 })] })
        .to('recent');
      return b.build();
    },
    outputs: { recent: strings },
    describe: true,
  },
};
