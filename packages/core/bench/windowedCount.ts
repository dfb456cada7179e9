/**
 * A one-minute tumbling-window count over many keys, in memory through the
 * TopologyTestDriver: records per second of CPU time, the window store logged to its
 * changelog, every update sent to the output topic. `serde: 'none'` uses
 * `Serdes.passthrough()` on source, store and sink to leave serialization out; `'json'`
 * reads string keys and JSON values and writes Kafka's windowed key layout and JSON
 * counts (the changelog too).
 *
 *   node --expose-gc --import tsx packages/core/bench/windowedCount.ts [records] [keys]
 */
import { pathToFileURL } from 'node:url';
import { Serdes, StreamsBuilder, TimeWindows, WindowedSerdes, silentLogger, type Topology } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { collectGarbage, median } from './harness';

export interface WindowedCountOptions {
  /** Records piped in the measured run. Defaults to `1_000_000`. */
  records?: number;
  /** Distinct keys, cycled through. Defaults to `100_000`. */
  keys?: number;
  /** Defaults to `'none'`. */
  serde?: 'none' | 'json';
}

/** One record per millisecond of event time: a million records span about 17 one-minute windows. */
const timestampOf = (i: number) => i;

function topology(serde: 'none' | 'json'): Topology {
  const builder = new StreamsBuilder();
  const none = serde === 'none';
  builder
    .stream<string, { amount: number }>('payments', none ? { keySerde: Serdes.passthrough(), valueSerde: Serdes.passthrough() } : { keySerde: Serdes.string(), valueSerde: Serdes.json() })
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace('1m'))
    // Without serdes, the store's changelog carries objects too, as in the groupByKey -> count benchmark.
    .count({ name: 'payments-per-minute', ...(none ? { keySerde: Serdes.passthrough<string>(), valueSerde: Serdes.passthrough<number>() } : {}) })
    .toStream()
    .to(
      'payments-per-minute',
      none
        ? { keySerde: Serdes.passthrough(), valueSerde: Serdes.passthrough() }
        : { keySerde: WindowedSerdes.timeWindowed(Serdes.string(), 60_000), valueSerde: Serdes.json<number>() },
    );
  return builder.build();
}

/** Pre-built inputs, so the measured loop does not build them: objects for 'none', bytes for 'json'. */
function inputs(serde: 'none' | 'json', records: number, keys: number): { keys: unknown[]; values: unknown[] } {
  const keyNames = Array.from({ length: keys }, (_, k) => `customer-${k}`);
  const out = { keys: new Array<unknown>(records), values: new Array<unknown>(records) };
  for (let i = 0; i < records; i++) {
    const key = keyNames[i % keys]!;
    const value = { amount: i % 100 };
    out.keys[i] = serde === 'none' ? key : Buffer.from(key);
    out.values[i] = serde === 'none' ? value : Buffer.from(JSON.stringify(value));
  }
  return out;
}

function run(built: Topology, data: { keys: unknown[]; values: unknown[] }, records: number): void {
  using driver = new TopologyTestDriver(built, { logger: silentLogger, initialWallClockTime: 0 });
  const input = driver.createInputTopic('payments');
  for (let i = 0; i < records; i++) input.pipeRaw(data.keys[i] as Buffer, data.values[i] as Buffer, timestampOf(i));
  const written = driver.topics.written('payments-per-minute').length;
  if (written !== records) throw new Error(`expected ${records} window updates, got ${written}`);
}

/**
 * Measures one run (after a short unmeasured warm-up) and returns records per second of
 * CPU time used by the process, and of wall-clock time.
 */
export async function benchWindowedCount(options: WindowedCountOptions = {}): Promise<{ recordsPerSecond: number; wallRecordsPerSecond: number }> {
  const records = options.records ?? 1_000_000;
  const keys = options.keys ?? 100_000;
  const serde = options.serde ?? 'none';
  const built = topology(serde);
  const data = inputs(serde, records, keys);
  run(built, data, Math.min(records, 100_000));
  collectGarbage();
  const startCpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  run(built, data, records);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(startCpu);
  return { recordsPerSecond: records / ((cpu.user + cpu.system) / 1e6), wallRecordsPerSecond: records / seconds };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const records = Number(process.argv[2] ?? 1_000_000);
  const keys = Number(process.argv[3] ?? 100_000);
  for (const serde of ['none', 'json'] as const) {
    const figures: number[] = [];
    for (let i = 0; i < 3; i++) figures.push((await benchWindowedCount({ records, keys, serde })).recordsPerSecond);
    console.log(`windowed count, ${serde}: median ${Math.round(median(figures)).toLocaleString('en-US')} records/s (runs: ${figures.map((f) => Math.round(f)).join(', ')})`);
  }
}
