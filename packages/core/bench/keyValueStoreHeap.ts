/**
 * (c) Peak heap for 1,000,000 distinct keys in a key-value store: `count()` over a million
 * customers, run by a Task whose collector drops what it is sent (as a Kafka producer
 * would, once acknowledged), so the heap holds the store and the engine, not an in-memory
 * log. With JSON serdes and without.
 */
import { Serdes, StreamsBuilder, silentLogger, type KeyValueStore } from '@tributary/core';
import { Task, type RecordCollector } from '@tributary/core/runtime';
import { HeapPeak, collectGarbage, median, type BenchResult } from './harness';

function task(serde: 'json' | 'passthrough') {
  const builder = new StreamsBuilder();
  const passthrough = { keySerde: Serdes.passthrough<string>(), valueSerde: Serdes.passthrough<number>() };
  builder
    .stream<string, number>('customers', serde === 'json' ? {} : passthrough)
    .groupByKey()
    .count({ name: 'customer-count', ...(serde === 'json' ? {} : passthrough) });
  const collector: RecordCollector = { send: () => undefined, partitionsFor: () => 1 };
  return new Task(builder.build().subTopologies[0]!, 0, { applicationId: 'bench', collector, logger: silentLogger });
}

export async function benchKeyValueStoreHeap(options: { keys: number; runs: number }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const serde of ['passthrough', 'json'] as const) {
    const peaks: number[] = [];
    const retained: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      collectGarbage();
      const heap = new HeapPeak();
      const t = task(serde);
      const one = serde === 'json' ? Buffer.from('1') : 1;
      for (let i = 0; i < options.keys; i++) {
        const key = `customer-${i}`;
        t.process({ topic: 'customers', partition: 0, offset: i, key: (serde === 'json' ? Buffer.from(key) : key) as Buffer, value: one as Buffer, timestamp: i, headers: {} });
        if (i % 10_000 === 0) heap.sample();
      }
      peaks.push(heap.growth);
      const store = t.getStore<KeyValueStore<string, number>>('customer-count')!;
      if (store.approximateNumEntries() !== options.keys) throw new Error('wrong number of keys in the store');
      retained.push(heap.retained());
      t.close();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const variant = serde === 'json' ? 'JSON serdes' : 'no serdes (passthrough)';
    const benchmark = `(c) ${options.keys.toLocaleString('en-US')} distinct keys in a key-value store`;
    results.push({ benchmark: `${benchmark}: peak heap`, variant, value: median(peaks), unit: 'bytes', runs: peaks, better: 'lower' });
    results.push({ benchmark: `${benchmark}: retained per key`, variant, value: median(retained) / options.keys, unit: 'bytes/key', runs: retained.map((r) => r / options.keys), better: 'lower' });
  }
  return results;
}
