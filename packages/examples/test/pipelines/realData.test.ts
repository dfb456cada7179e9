import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildRecommendationsTopology,
  buildSegmentationTopology,
  CO_PURCHASE_BASKETS_STORE,
  CO_PURCHASE_COUNTS_STORE,
  firstPart,
  isProduct,
  keysStartingWith,
  partnersOf,
  loadOnlineRetail,
  OPEN_INVOICES_STORE,
  recencyDays,
  RFM_PROFILES_STORE,
  type CoPurchaseRow,
  type CustomerInteraction,
  type RfmProfile,
} from '../../src';
import { DAY, driverFor, interaction, pipe } from './fixtures';

// The pipelines against independent computations on real rows (issue 5, item 6): a fixed
// slice of the Online Retail data, through the topologies on a 4-partition test driver,
// compared with plain loops over the same rows.
const SLICE = 20_000;
const PARTITIONS = 4;

let rows: CustomerInteraction[];
beforeAll(async () => {
  rows = (await loadOnlineRetail(undefined, { limit: SLICE })).interactions;
});

describe(`RFM profiles of the first ${SLICE.toLocaleString('en')} rows`, () => {
  it('equal a plain loop over the same rows, for every customer', () => {
    const plain = new Map<string, { invoices: Set<string>; pence: number; first: number | null; last: number | null; purchases: number; cancellations: number }>();
    for (const i of rows) {
      let p = plain.get(i.customerId);
      if (!p) plain.set(i.customerId, (p = { invoices: new Set(), pence: 0, first: null, last: null, purchases: 0, cancellations: 0 }));
      p.pence += Math.round(i.amount * 100);
      if (i.type === 'cancellation') {
        p.cancellations++;
        continue;
      }
      p.purchases++;
      p.invoices.add(i.invoiceNo);
      p.first = p.first === null ? i.timestamp : Math.min(p.first, i.timestamp);
      p.last = p.last === null ? i.timestamp : Math.max(p.last, i.timestamp);
    }

    const { driver, input } = driverFor(buildSegmentationTopology(), PARTITIONS);
    pipe(input, ...rows);
    const profiles = driver.getKeyValueStore<string, RfmProfile>(RFM_PROFILES_STORE);
    const now = rows[rows.length - 1]!.timestamp;

    expect(profiles.approximateNumEntries()).toBe(plain.size);
    expect(plain.size).toBeGreaterThan(500);
    for (const [customerId, p] of plain) {
      const profile = profiles.get(customerId)!;
      expect({ customerId, frequency: profile.frequency, monetary: profile.monetary, first: profile.firstPurchaseAt, last: profile.lastPurchaseAt }).toEqual({
        customerId,
        frequency: p.invoices.size,
        monetary: p.pence / 100,
        first: p.first,
        last: p.last,
      });
      expect([profile.purchaseLines, profile.cancellationLines]).toEqual([p.purchases, p.cancellations]);
      const plainRecency = p.last === null ? null : Math.floor((now - p.last) / DAY);
      expect(recencyDays(profile, now)).toBe(plainRecency);
    }
    driver.close();
  });
});

describe(`co-purchase counts of the first ${SLICE.toLocaleString('en')} rows`, () => {
  it('equal a plain count of product pairs per invoice, for every product', () => {
    const baskets = new Map<string, Set<string>>();
    for (const i of rows) {
      if (i.type !== 'purchase' || !isProduct(i.stockCode)) continue;
      let basket = baskets.get(i.invoiceNo);
      if (!basket) baskets.set(i.invoiceNo, (basket = new Set()));
      basket.add(i.stockCode);
    }
    const plain = new Map<string, Map<string, number>>();
    for (const basket of baskets.values()) {
      for (const a of basket) {
        let row = plain.get(a);
        if (!row) plain.set(a, (row = new Map()));
        for (const b of basket) if (a !== b) row.set(b, (row.get(b) ?? 0) + 1);
      }
    }

    const { driver, input } = driverFor(buildRecommendationsTopology(), PARTITIONS);
    pipe(input, ...rows);
    // A day later on every partition: every invoice is complete and counted.
    const end = rows[rows.length - 1]!.timestamp + DAY;
    for (let k = 0; k < 32; k++) pipe(input, interaction({ customerId: `clock-${k}`, type: 'cancellation', invoiceNo: `C-clock-${k}`, timestamp: end }));
    expect(driver.storesNamed<{ approximateNumEntries(): number } & import('@tributary/core').StateStore>(OPEN_INVOICES_STORE).map((s) => s.approximateNumEntries())).toEqual(
      Array(PARTITIONS).fill(0),
    );

    const counted = driver.getKeyValueStore<string, CoPurchaseRow>(CO_PURCHASE_COUNTS_STORE);
    const withPartners = [...plain].filter(([, row]) => row.size > 0);
    expect(withPartners.length).toBeGreaterThan(1000);
    let pairs = 0;
    for (const [product, row] of withPartners) {
      const actual = counted.get(product);
      expect({ product, counts: actual?.entries() }).toEqual({ product, counts: new Map([...row].sort(([a], [b]) => (a < b ? -1 : 1))) });
      const ranked = [...row].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([code]) => code);
      expect(actual!.top).toEqual(ranked.slice(0, 20));
      pairs += row.size;
    }
    // Products bought only alone have no row.
    expect(counted.approximateNumEntries()).toBe(withPartners.length);
    expect(pairs).toBeGreaterThan(100_000);
    // The durable state the rows derive from: each product's baskets (one store entry per product and invoice).
    const basketStore = driver.getKeyValueStore<string, string>(CO_PURCHASE_BASKETS_STORE);
    const fromBaskets = new Map<string, Map<string, number>>();
    for (const [key, partners] of basketStore.all()) {
      const product = firstPart(key);
      let row = fromBaskets.get(product);
      if (!row) fromBaskets.set(product, (row = new Map()));
      for (const p of partnersOf(partners)) row.set(p, (row.get(p) ?? 0) + 1);
    }
    expect(fromBaskets).toEqual(new Map(withPartners));
    // A prefix scan reads one product's baskets.
    const [someProduct, someRow] = withPartners[0]!;
    expect(basketStore.range(...keysStartingWith(someProduct)).reduce((n, [, partners]) => n + partnersOf(partners).length, 0)).toBe([...someRow.values()].reduce((a, b) => a + b, 0));
    driver.close();
  }, 30_000);
});

describe('the whole data set', () => {
  it('has no tab or newline in stock codes, invoice numbers, customer ids and countries, and no | in the first three (the compact serdes and composite keys rely on it)', async () => {
    const { interactions } = await loadOnlineRetail();
    const bad = interactions.filter((i) => /[\t\n|]/.test(i.stockCode) || /[\t\n|]/.test(i.invoiceNo) || /[\t\n|]/.test(i.customerId) || /[\t\n]/.test(i.country));
    expect(bad).toEqual([]);
  });
});
