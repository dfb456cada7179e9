import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBasket,
  buildRecommendationsTopology,
  CO_PURCHASE_BASKETS_STORE,
  CO_PURCHASE_COUNTS_STORE,
  CUSTOMER_FIRST_PURCHASE_STORE,
  CUSTOMER_PRODUCTS_STORE,
  emptyCoPurchaseRow,
  keysStartingWith,
  OPEN_INVOICES_STORE,
  openInvoiceSerde,
  partnersOf,
  type CoPurchaseRow,
  type Recommendation,
  type RecommendationOptions,
} from '../../src';
import { basketSerde, purchaseRefSerde, purchaseWithCandidatesSerde } from '../../src/pipelines/recommendationSerdes';
import { driverFor, HOUR, interaction, MINUTE, pipe, T0 } from './fixtures';

function setup(options: RecommendationOptions = {}) {
  const { driver, input } = driverFor(buildRecommendationsTopology(options));
  const output = driver.createOutputTopic<string, Recommendation>('recommendations');
  const rows = driver.getKeyValueStore<string, CoPurchaseRow>(CO_PURCHASE_COUNTS_STORE);
  return { driver, input, output, rows, [Symbol.dispose]: () => driver.close() };
}

/** Lines of one invoice of `customerId`, one per stock code, at `timestamp`. */
function invoice(customerId: string, invoiceNo: string, stockCodes: string[], timestamp: number) {
  return stockCodes.map((stockCode) => interaction({ customerId, invoiceNo, stockCode, timestamp }));
}

/** A line of another customer an hour and a half later: moves stream time on, so open invoices close. */
function tick(timestamp: number) {
  return interaction({ customerId: 'clock', invoiceNo: `T${timestamp}`, stockCode: 'POST', timestamp });
}

describe('buildRecommendationsTopology', () => {
  it('counts the product pairs of each invoice once it is complete', () => {
    using f = setup();
    pipe(f.input, ...invoice('c1', 'I1', ['PA', 'PB', 'PC', 'PB'], T0));
    // Still open: nothing is counted yet.
    expect(f.rows.get('PA')).toBeUndefined();
    expect(f.driver.getKeyValueStore(OPEN_INVOICES_STORE).get('I1')).toMatchObject({ products: ['PA', 'PB', 'PC'] });
    pipe(f.input, tick(T0 + 90 * MINUTE));
    expect(f.driver.getKeyValueStore(OPEN_INVOICES_STORE).get('I1')).toBeUndefined();
    expect(Object.fromEntries(f.rows.get('PA')!.entries())).toEqual({ PB: 1, PC: 1 });
    expect(Object.fromEntries(f.rows.get('PB')!.entries())).toEqual({ PA: 1, PC: 1 });
    pipe(f.input, ...invoice('c2', 'I2', ['PA', 'PC'], T0 + 2 * HOUR), tick(T0 + 4 * HOUR));
    expect(Object.fromEntries(f.rows.get('PA')!.entries())).toEqual({ PB: 1, PC: 2 });
    expect(f.rows.get('PA')!.top).toEqual(['PC', 'PB']);
    // The durable state: one entry per product and basket, read back with a prefix scan.
    const baskets = f.driver.getKeyValueStore<string, string>(CO_PURCHASE_BASKETS_STORE);
    expect(baskets.range(...keysStartingWith('PA'))).toEqual([
      ['PA|I1', 'PB\tPC'],
      ['PA|I2', 'PC'],
    ]);
    expect(baskets.get('PC|I2')).toBe('PA');
  });

  it('counts an invoice whose lines came after it closed as a second basket, and keeps both', () => {
    using f = setup();
    pipe(f.input, ...invoice('c1', 'I1', ['PA', 'PB'], T0), tick(T0 + 90 * MINUTE));
    pipe(f.input, ...invoice('c1', 'I1', ['PA', 'PC'], T0 + 2 * HOUR), tick(T0 + 4 * HOUR));
    expect(Object.fromEntries(f.rows.get('PA')!.entries())).toEqual({ PB: 1, PC: 1 });
    expect(partnersOf(f.driver.getKeyValueStore<string, string>(CO_PURCHASE_BASKETS_STORE).get('PA|I1')!)).toEqual(['PB', 'PC']);
  });

  it('recommends, on each purchase, the most co-purchased products the customer has not bought', () => {
    using f = setup({ topN: 2 });
    pipe(
      f.input,
      ...invoice('c1', 'I1', ['PA', 'PB', 'PC', 'PD'], T0),
      ...invoice('c2', 'I2', ['PA', 'PC', 'PD'], T0 + MINUTE),
      ...invoice('c3', 'I3', ['PA', 'PD'], T0 + 2 * MINUTE),
      tick(T0 + 2 * HOUR),
    );
    expect(f.output.readValuesToList()).toEqual([]); // nothing was counted when these were bought
    // PA's row: PD 3, PC 2, PB 1. Customer c4 already bought PD.
    pipe(f.input, interaction({ customerId: 'c4', invoiceNo: 'I4', stockCode: 'PD', timestamp: T0 + 3 * HOUR }));
    f.output.readValuesToList();
    pipe(f.input, interaction({ customerId: 'c4', invoiceNo: 'I4', stockCode: 'PA', timestamp: T0 + 3 * HOUR }));
    expect(f.output.readValuesToList()).toEqual([
      {
        customerId: 'c4',
        invoiceNo: 'I4',
        stockCode: 'PA',
        timestamp: T0 + 3 * HOUR,
        recommendations: [
          { stockCode: 'PC', coPurchases: 2 },
          { stockCode: 'PB', coPurchases: 1 },
        ],
      },
    ]);
    // One entry per customer and product, valued with the time of the first purchase of it.
    expect(f.driver.getKeyValueStore<string, number>(CUSTOMER_PRODUCTS_STORE).range(...keysStartingWith('c4'))).toEqual([
      ['c4|PA', T0 + 3 * HOUR],
      ['c4|PD', T0 + 3 * HOUR],
    ]);
    expect(f.driver.getKeyValueStore<string, number>(CUSTOMER_FIRST_PURCHASE_STORE).get('c4')).toBe(T0 + 3 * HOUR);
  });

  it('emits nothing when every co-purchased product was already bought', () => {
    using f = setup();
    pipe(f.input, ...invoice('c1', 'I1', ['PA', 'PB'], T0), tick(T0 + 2 * HOUR));
    pipe(f.input, ...invoice('c1', 'I2', ['PA'], T0 + 3 * HOUR));
    expect(f.output.isEmpty()).toBe(true);
  });

  it('leaves charges such as postage out of baskets and recommendations', () => {
    using f = setup();
    pipe(f.input, ...invoice('c1', 'I1', ['PA', 'POST', 'PB', 'M'], T0), tick(T0 + 2 * HOUR));
    expect(Object.fromEntries(f.rows.get('PA')!.entries())).toEqual({ PB: 1 });
    expect(f.rows.get('POST')).toBeUndefined();
  });

  it('ignores cancellations', () => {
    using f = setup();
    pipe(f.input, ...invoice('c1', 'I1', ['PA', 'PB'], T0));
    pipe(f.input, interaction({ customerId: 'c1', type: 'cancellation', invoiceNo: 'C1', stockCode: 'PC', timestamp: T0 + MINUTE }), tick(T0 + 2 * HOUR));
    expect(Object.fromEntries(f.rows.get('PA')!.entries())).toEqual({ PB: 1 });
  });
});

describe('CoPurchaseRow', () => {
  const products = fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L');
  const baskets = fc.array(fc.uniqueArray(products, { minLength: 1, maxLength: 8 }), { maxLength: 60 });

  it('counts like a plain loop and ranks exactly (count, then stock code) whatever the baskets', () => {
    fc.assert(
      fc.property(baskets, fc.integer({ min: 1, max: 6 }), (list, topSize) => {
        const row = emptyCoPurchaseRow();
        const plain = new Map<string, number>();
        for (const products of list) {
          if (!products.includes('A')) continue;
          addBasket('A', { invoiceNo: 'x', products }, row, topSize);
          for (const p of products) if (p !== 'A') plain.set(p, (plain.get(p) ?? 0) + 1);
        }
        expect(row.entries()).toEqual(new Map([...plain].sort(([a], [b]) => (a < b ? -1 : 1))));
        const ranked = [...plain].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([code]) => code);
        expect(row.top).toEqual(ranked.slice(0, topSize));
      }),
    );
  });

});

describe('the compact serdes of the repartition topics', () => {
  it('round-trip', () => {
    const basket = { invoiceNo: '536365', products: ['85123A', '71053', '84406B'] };
    expect(basketSerde.deserialize('t', basketSerde.serialize('t', basket))).toEqual(basket);
    const ref = { customerId: '17850', invoiceNo: '536365', stockCode: '85123A', timestamp: T0 };
    expect(purchaseRefSerde.deserialize('t', purchaseRefSerde.serialize('t', ref))).toEqual(ref);
    const withCandidates = { ...ref, candidates: ['71053', '84406B'], coPurchases: [12, 3] };
    expect(purchaseWithCandidatesSerde.deserialize('t', purchaseWithCandidatesSerde.serialize('t', withCandidates))).toEqual(withCandidates);
    const none = { ...ref, candidates: [], coPurchases: [] };
    expect(purchaseWithCandidatesSerde.deserialize('t', purchaseWithCandidatesSerde.serialize('t', none))).toEqual(none);
    expect(basketSerde.serialize('t', null as never)).toBeNull();
  });
});

describe('the compact values of the recommendation stores', () => {
  it('read back what was written', () => {
    expect(partnersOf('71053\t84406B')).toEqual(['71053', '84406B']);
    expect(partnersOf('')).toEqual([]);
    const open = { invoiceNo: '536365', customerId: '17850', products: ['85123A', '71053'], lastLineAt: T0 };
    expect(openInvoiceSerde.deserialize('t', openInvoiceSerde.serialize('t', open))).toEqual(open);
    expect(openInvoiceSerde.serialize('t', open)!.toString()).toBe(`536365\t17850\t${T0}\t85123A\t71053`);
  });
});
