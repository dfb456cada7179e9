// What the CRM stores write to their changelogs, and what they restore from them, on the first
// 20,000 rows of the data: the embedded engine with changelogs on (its in-memory topics stand
// in for the broker), compared with plain counts over the same rows; then a task of the
// co-purchase sub-topology restored from those changelogs by the runtime's Task, as a Kafka
// runtime restores one.
import { silentLogger, type KeyValueStore, type Topology } from '@tributary/core';
import { EmbeddedStreams } from '@tributary/core/embedded';
import { InMemoryTopics, Task, type OutgoingRecord } from '@tributary/core/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildCrmTopology,
  buildRecommendationsTopology,
  CO_PURCHASE_BASKETS_STORE,
  CO_PURCHASE_COUNTS_STORE,
  CRM_APPLICATION_ID,
  CUSTOMER_FIRST_PURCHASE_STORE,
  CUSTOMER_PRODUCT_SETS_STORE,
  CUSTOMER_PRODUCTS_STORE,
  isProduct,
  loadOnlineRetail,
  type CoPurchaseRow,
  type CustomerInteraction,
} from '../../src';
import { basketSerde, purchaseRefSerde, purchaseWithCandidatesSerde } from '../../src/pipelines/recommendationSerdes';

const ROWS = 20_000;
const PARTITIONS = 4;
let rows: CustomerInteraction[];
beforeAll(async () => {
  rows = (await loadOnlineRetail(undefined, { limit: ROWS })).interactions;
});

/** Runs `topology` over the rows on the embedded engine with changelogs, on `topics`. */
async function run(topology: Topology, topics: InMemoryTopics): Promise<EmbeddedStreams> {
  const app = new EmbeddedStreams(topology, { applicationId: CRM_APPLICATION_ID, partitions: PARTITIONS, changelogs: true, topics, logger: silentLogger });
  await app.start();
  app.produce(
    'customer_interactions',
    rows.map((i) => ({ key: i.customerId, value: i, timestamp: i.timestamp })),
  );
  await app.whenCaughtUp();
  return app;
}

const changelog = (store: string) => `${CRM_APPLICATION_ID}-${store}-changelog`;
const records = (topics: InMemoryTopics, topic: string) => topics.endOffsets(topic).reduce((a, b) => a + b, 0);
const distinct = (keys: Iterable<string>) => new Set(keys).size;

describe(`the CRM changelogs on the first ${ROWS.toLocaleString('en')} rows`, () => {
  it('get a record per change of state, not per window or per growing row', async () => {
    const topics = new InMemoryTopics();
    const app = await run(buildCrmTopology(), topics);
    await app.close();
    const purchases = rows.filter((i) => i.type === 'purchase');
    const productPurchases = purchases.filter((i) => isProduct(i.stockCode));
    let locationChanges = 0;
    const last = new Map<string, string>();
    for (const p of purchases) {
      const at = `${p.country}@${p.timestamp}`;
      if (last.get(p.customerId) !== at) locationChanges++;
      last.set(p.customerId, at);
    }

    expect(records(topics, changelog('rfm-profiles'))).toBe(rows.length);
    expect(records(topics, changelog('customer-invoices'))).toBe(distinct(purchases.map((p) => `${p.customerId}|${p.invoiceNo}`)));
    expect(records(topics, changelog('customer-products'))).toBe(distinct(productPurchases.map((p) => `${p.customerId}|${p.stockCode}`)));
    expect(records(topics, changelog('customer-first-purchase'))).toBe(distinct(productPurchases.map((p) => p.customerId)));
    // Hopping windows of 10 minutes advancing by 1: the windowed aggregate wrote 10 records per purchase.
    expect(records(topics, changelog('purchase-velocity'))).toBe(distinct(purchases.map((p) => `${p.customerId}|${p.invoiceNo}|${p.timestamp}`)));
    expect(records(topics, changelog('last-purchase-location'))).toBe(locationChanges);
    expect(records(topics, changelog('amount-stats'))).toBe(purchases.length);
    // One record per basket and product: the basket repartition topic's records, none per pair.
    expect(records(topics, changelog(CO_PURCHASE_BASKETS_STORE))).toBe(records(topics, `${CRM_APPLICATION_ID}-baskets-by-product-repartition`));
    expect(topics.has(changelog(CO_PURCHASE_COUNTS_STORE))).toBe(false);
    expect(records(topics, changelog('purchase-velocity'))).toBeLessThan(purchases.length / 5);
  }, 60_000);
});

describe('a co-purchase task restored from its changelog', () => {
  it('rebuilds the counts and rankings of its products from the baskets, and counts on from there', async () => {
    const topics = new InMemoryTopics();
    const app = await run(buildRecommendationsTopology(), topics);
    const counted = new Map(app.store<string, CoPurchaseRow>(CO_PURCHASE_COUNTS_STORE).all().map(([product, row]) => [product, { counts: row.entries(), top: [...row.top] }]));
    await app.close();
    expect(counted.size).toBeGreaterThan(1000);

    const topology = buildRecommendationsTopology();
    const sub = topology.subTopologies.find((s) => s.stores.some((spec) => spec.name === CO_PURCHASE_BASKETS_STORE))!;
    let restoredProducts = 0;
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const sent: OutgoingRecord[] = [];
      const task = new Task(sub, partition, {
        applicationId: CRM_APPLICATION_ID,
        logger: silentLogger,
        collector: { send: (record) => void sent.push(record), partitionsFor: () => PARTITIONS },
      });
      for (const r of topics.read(changelog(CO_PURCHASE_BASKETS_STORE), partition)) task.restore(CO_PURCHASE_BASKETS_STORE, r.key, r.value, r.timestamp);

      // The first record after the restore: a purchase of one of the partition's products.
      const rows = task.getStore<KeyValueStore<string, CoPurchaseRow>>(CO_PURCHASE_COUNTS_STORE)!;
      expect(rows.all()).toEqual([]);
      const product = topics.read(changelog(CO_PURCHASE_BASKETS_STORE), partition)[0]!.key!.toString().split('|')[0]!;
      const ref = { customerId: 'c-new', invoiceNo: 'X1', stockCode: product, timestamp: Date.UTC(2011, 0, 1) };
      task.process(input(`${CRM_APPLICATION_ID}-purchase-co-purchases-repartition`, partition, product, purchaseRefSerde.serialize('t', ref)!));
      const restored = rows.all();
      for (const [code, row] of restored) expect({ code, counts: row.entries(), top: row.top }).toEqual({ code, ...counted.get(code)! });
      restoredProducts += restored.length;
      const forwarded = purchaseWithCandidatesSerde.deserialize('t', sent.at(-1)!.value!);
      expect(forwarded.candidates).toEqual(counted.get(product)!.top);

      // A basket after the restore adds to the rebuilt row.
      const partner = counted.get(product)!.top[0]!;
      task.process(input(`${CRM_APPLICATION_ID}-baskets-by-product-repartition`, partition, product, basketSerde.serialize('t', { invoiceNo: 'X2', products: [product, partner] })!));
      expect(rows.all().find(([code]) => code === product)![1].count(partner)).toBe(counted.get(product)!.counts.get(partner)! + 1);
      task.close();
    }
    expect(restoredProducts).toBe(counted.size);
  }, 60_000);
});

describe('a customer task restored from its changelogs', () => {
  it('rebuilds the product sets it picks recommendations with, and records only new products', async () => {
    const topics = new InMemoryTopics();
    const app = await run(buildRecommendationsTopology(), topics);
    await app.close();
    const sub = buildRecommendationsTopology().subTopologies.find((s) => s.stores.some((spec) => spec.name === CUSTOMER_PRODUCTS_STORE))!;
    const partition = 0;
    const sent: OutgoingRecord[] = [];
    const task = new Task(sub, partition, {
      applicationId: CRM_APPLICATION_ID,
      logger: silentLogger,
      collector: { send: (record) => void sent.push(record), partitionsFor: () => PARTITIONS },
    });
    for (const store of [CUSTOMER_PRODUCTS_STORE, CUSTOMER_FIRST_PURCHASE_STORE]) {
      for (const r of topics.read(changelog(store), partition)) task.restore(store, r.key, r.value, r.timestamp);
    }
    const sets = task.getStore<KeyValueStore<string, Set<string>>>(CUSTOMER_PRODUCT_SETS_STORE)!;
    expect(sets.approximateNumEntries()).toBe(0);

    // A customer of this partition, one product they bought and one they did not.
    const [customerId, bought] = topics.read(changelog(CUSTOMER_PRODUCTS_STORE), partition)[0]!.key!.toString().split('|') as [string, string];
    const theirs = new Set(rows.filter((i) => i.customerId === customerId && i.type === 'purchase').map((i) => i.stockCode));
    const other = rows.find((i) => isProduct(i.stockCode) && !theirs.has(i.stockCode))!.stockCode;
    const purchase = { customerId, invoiceNo: 'X1', stockCode: 'P0', timestamp: Date.UTC(2011, 0, 1), candidates: [bought, other], coPurchases: [9, 8] };
    task.process(input(`${CRM_APPLICATION_ID}-purchase-history-repartition`, partition, customerId, purchaseWithCandidatesSerde.serialize('t', purchase)!));
    expect(sets.get(customerId)).toEqual(new Set([...theirs].filter(isProduct)));
    const recommendation = JSON.parse(sent.find((r) => r.topic === 'recommendations')!.value!.toString());
    expect(recommendation.recommendations).toEqual([{ stockCode: other, coPurchases: 8 }]);

    // Another line of a product they bought writes nothing; a new product one record.
    sent.length = 0;
    const line = rows.find((i) => i.customerId === customerId && i.stockCode === bought)!;
    task.process(input('customer_interactions', partition, customerId, Buffer.from(JSON.stringify(line))));
    expect(sent.filter((r) => r.topic === changelog(CUSTOMER_PRODUCTS_STORE))).toEqual([]);
    task.process(input('customer_interactions', partition, customerId, Buffer.from(JSON.stringify({ ...line, stockCode: other, eventId: 'X-1' }))));
    expect(sent.filter((r) => r.topic === changelog(CUSTOMER_PRODUCTS_STORE)).map((r) => r.key!.toString())).toEqual([`${customerId}|${other}`]);
    task.close();
  }, 60_000);
});

let offset = 0;
function input(topic: string, partition: number, key: string, value: Buffer) {
  return { topic, partition, offset: offset++, key: Buffer.from(key), value, timestamp: Date.UTC(2011, 0, 1), headers: {} };
}
