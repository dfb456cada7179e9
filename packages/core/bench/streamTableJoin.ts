/**
 * A stream-table join through the TopologyTestDriver (issue 3, item 8): purchases enriched
 * with their customer's segment, `keys` customers loaded into the table first, then
 * `records` purchases timed. `serde: 'none'` hands objects through (passthrough serdes),
 * `'json'` reads and writes JSON bytes as a real topic would.
 *
 *   node --expose-gc --import tsx packages/core/bench/streamTableJoin.ts [records] [keys]
 */
import { Serdes, StreamsBuilder, silentLogger, type Serde } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { pathToFileURL } from 'node:url';
import { collectGarbage, median, type BenchResult } from './harness';

interface Purchase {
  amount: number;
}
interface Customer {
  segment: string;
}

export interface StreamTableJoinOptions {
  /** Stream records timed per run. Defaults to `1_000_000` (`200_000` with `quick`). */
  records?: number;
  /** Distinct customers in the table. Defaults to `100_000`. */
  keys?: number;
  /** Defaults to `'none'`. */
  serde?: 'none' | 'json';
  /** Measured runs; the median is reported. Defaults to `3`. */
  runs?: number;
  /** Unmeasured runs first. Defaults to `1`. */
  warmups?: number;
  quick?: boolean;
}

/** The median figure, with the fields `bench/index.ts` prints. */
export interface StreamTableJoinResult extends BenchResult {
  readonly recordsPerSecond: number;
}

function topology(serde: 'none' | 'json') {
  const builder = new StreamsBuilder();
  const serdes = <K, V>() =>
    serde === 'json' ? { keySerde: Serdes.string() as Serde<K>, valueSerde: Serdes.json<V>() } : { keySerde: Serdes.passthrough<K>(), valueSerde: Serdes.passthrough<V>() };
  const customers = builder.table<string, Customer>('customers', { name: 'customers', ...serdes<string, Customer>(), store: { logging: false } });
  builder
    .stream<string, Purchase>('purchases', serdes<string, Purchase>())
    .join(customers, (purchase, customer) => ({ amount: purchase.amount, segment: customer.segment }))
    .to('enriched', serdes<string, { amount: number; segment: string }>());
  return builder.build();
}

export async function benchStreamTableJoin(options: StreamTableJoinOptions = {}): Promise<StreamTableJoinResult> {
  const records = options.records ?? (options.quick ? 200_000 : 1_000_000);
  const keys = options.keys ?? 100_000;
  const serde = options.serde ?? 'none';
  const encode = serde === 'json' ? (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) : (value: unknown) => value;
  const customerKeys: unknown[] = [];
  const customerValues: unknown[] = [];
  for (let i = 0; i < keys; i++) {
    customerKeys.push(encode(`customer-${i}`));
    customerValues.push(encode({ segment: `segment-${i % 7}` }));
  }
  const purchaseKeys: unknown[] = [];
  const purchaseValues: unknown[] = [];
  for (let i = 0; i < records; i++) {
    purchaseKeys.push(customerKeys[i % keys]);
    purchaseValues.push(encode({ amount: i % 100 }));
  }
  const built = topology(serde);
  const run = () => {
    using driver = new TopologyTestDriver(built, { logger: silentLogger, initialWallClockTime: 0 });
    const table = driver.createInputTopic('customers');
    for (let i = 0; i < keys; i++) table.pipeRaw(customerKeys[i] as Buffer, customerValues[i] as Buffer, 0);
    const purchases = driver.createInputTopic('purchases');
    const started = process.hrtime.bigint();
    for (let i = 0; i < records; i++) purchases.pipeRaw(purchaseKeys[i] as Buffer, purchaseValues[i] as Buffer, i);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (driver.topics.written('enriched').length !== records) throw new Error('the join lost records');
    return seconds;
  };
  // Time only the stream records: loading the table is not the join.
  for (let i = 0; i < (options.warmups ?? 1); i++) run();
  const runs: number[] = [];
  for (let i = 0; i < (options.runs ?? 3); i++) {
    collectGarbage();
    runs.push(records / run());
  }
  const value = median(runs);
  return {
    recordsPerSecond: value,
    benchmark: `stream-table join, ${keys.toLocaleString('en-US')} keys`,
    variant: serde === 'json' ? 'JSON serdes' : 'no serdes (passthrough)',
    value,
    unit: 'records/s',
    runs,
    better: 'higher',
    target: 300_000,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [records, keys] = process.argv.slice(2).map(Number);
  for (const serde of ['none', 'json'] as const) {
    const result = await benchStreamTableJoin({ ...(records ? { records } : {}), ...(keys ? { keys } : {}), serde });
    console.log(`${result.benchmark} (${result.variant}): median ${Math.round(result.value).toLocaleString('en-US')} records/s; runs ${result.runs.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')}`);
  }
}
