import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnlineRetail, ONLINE_RETAIL_PATH, parseCsvLine, readOnlineRetail, REJECTION_REASONS } from '../../src/data';
import type { OnlineRetailData, RejectionReason } from '../../src/data';

// The whole file is read twice here (about a second each): once with
// loadOnlineRetail for the counts, once row by row to cross-check them against
// the facts in data/README.md, counted on the raw columns.
describe('the Online Retail file', () => {
  let data: OnlineRetailData;
  const facts = {
    rows: 0,
    customers: new Set<string>(),
    missingCustomer: 0,
    cancellations: 0,
    negativeQuantity: 0,
    negativeQuantityNotCancelled: 0,
    nonPositivePrice: 0,
    stockCodes: new Set<string>(),
    countries: new Set<string>(),
    minQuantity: Number.POSITIVE_INFINITY,
    maxQuantity: Number.NEGATIVE_INFINITY,
    commaInDescription: 0,
  };
  /** Reasons seen for the rows that have a given problem in their raw columns. */
  const reasonsOf = {
    missingCustomer: new Map<RejectionReason, number>(),
    negativeQuantityNotCancelled: new Map<RejectionReason, number>(),
    nonPositivePrice: new Map<RejectionReason, number>(),
  };
  const interactionCustomers = new Set<string>();
  const eventIds = new Set<string>();
  let outOfOrder = 0;
  let untrimmed = 0;
  let badRejectedRows = 0;

  beforeAll(async () => {
    data = await loadOnlineRetail();

    let lastTimestamp = Number.NEGATIVE_INFINITY;
    const count = (map: Map<RejectionReason, number>, reason: RejectionReason) =>
      map.set(reason, (map.get(reason) ?? 0) + 1);
    for await (const row of readOnlineRetail()) {
      facts.rows++;
      let invoice: string, stock: string, description: string, quantity: number, price: number, customer: string, country: string;
      if (row.kind === 'interaction') {
        const i = row.interaction;
        ({ invoiceNo: invoice, stockCode: stock, description, quantity, unitPrice: price, customerId: customer, country } = i);
        interactionCustomers.add(customer);
        eventIds.add(i.eventId);
        if (i.timestamp < lastTimestamp) outOfOrder++;
        lastTimestamp = i.timestamp;
        if (description !== description.trim() || customer.includes('.')) untrimmed++;
      } else {
        const fields = parseCsvLine(row.raw);
        if (fields.length !== 8) badRejectedRows++;
        [invoice, stock, description] = fields as [string, string, string];
        quantity = Number(fields[3]);
        price = Number(fields[5]);
        customer = (fields[6] as string).replace(/\.0$/, '');
        country = fields[7] as string;
        if (customer === '') {
          facts.missingCustomer++;
          count(reasonsOf.missingCustomer, row.reason);
        }
        if (quantity < 0 && !invoice.startsWith('C')) count(reasonsOf.negativeQuantityNotCancelled, row.reason);
        if (price <= 0) count(reasonsOf.nonPositivePrice, row.reason);
      }
      if (customer !== '') facts.customers.add(customer);
      if (invoice.startsWith('C')) facts.cancellations++;
      if (quantity < 0) facts.negativeQuantity++;
      if (quantity < 0 && !invoice.startsWith('C')) facts.negativeQuantityNotCancelled++;
      if (price <= 0) facts.nonPositivePrice++;
      facts.stockCodes.add(stock);
      facts.countries.add(country);
      facts.minQuantity = Math.min(facts.minQuantity, quantity);
      facts.maxQuantity = Math.max(facts.maxQuantity, quantity);
      if (description.includes(',')) facts.commaInDescription++;
    }
  }, 30_000);

  it('has 541,909 rows, each kept or rejected', () => {
    expect(data.rowsRead).toBe(541_909);
    const rejected = REJECTION_REASONS.reduce((sum, reason) => sum + data.rejected[reason], 0);
    expect(data.interactions.length + rejected).toBe(data.rowsRead);
    expect(facts.rows).toBe(data.rowsRead);
    expect(badRejectedRows).toBe(0); // every rejected row's raw text has the 8 columns
  });

  it('rejects rows for the documented reasons, in the documented numbers', () => {
    expect(data.rejected).toEqual({
      malformed: 0,
      'missing-customer': 135_080,
      'non-positive-price': 40,
      'negative-quantity-adjustment': 0,
      'extreme-quantity': 4,
    });
    expect(data.interactions).toHaveLength(406_785);
    expect(data.interactions.filter((i) => i.type === 'cancellation')).toHaveLength(8_903);
  });

  it('matches the facts of data/README.md', () => {
    expect(facts.customers.size).toBe(4_372);
    expect(facts.missingCustomer).toBe(135_080);
    expect(facts.cancellations).toBe(9_288);
    expect(facts.negativeQuantity).toBe(10_624);
    expect(facts.nonPositivePrice).toBe(2_517);
    expect(facts.stockCodes.size).toBe(4_070);
    expect(facts.countries.size).toBe(38);
    expect([facts.minQuantity, facts.maxQuantity]).toEqual([-80_995, 80_995]);
    expect(facts.commaInDescription).toBe(4_796);
  });

  it('explains the overlaps by the precedence of the rules', () => {
    // Every row without a customer, and only those, is rejected as missing-customer.
    expect(Object.fromEntries(reasonsOf.missingCustomer)).toEqual({ 'missing-customer': 135_080 });
    // The stock adjustments never have a customer, so rule 5 finds none in this file.
    expect(facts.negativeQuantityNotCancelled).toBe(1_336);
    expect(Object.fromEntries(reasonsOf.negativeQuantityNotCancelled)).toEqual({ 'missing-customer': 1_336 });
    // Of the 2,517 rows priced at zero or below, 40 have a customer.
    expect(Object.fromEntries(reasonsOf.nonPositivePrice)).toEqual({
      'missing-customer': 2_477,
      'non-positive-price': 40,
    });
    // 9,288 cancellations = 8,903 kept + 383 without a customer + the 2 extreme ones.
    expect(8_903 + 383 + 2).toBe(facts.cancellations);
    expect(interactionCustomers.size).toBe(4_370); // 12346 and 13256 had only rejected rows
  });

  it('yields interactions in event-time order, with unique ids and clean fields', () => {
    expect(outOfOrder).toBe(0);
    expect(eventIds.size).toBe(data.interactions.length);
    expect(untrimmed).toBe(0);
    expect(data.interactions[0]).toEqual({
      eventId: '536365-2',
      customerId: '17850',
      invoiceNo: '536365',
      type: 'purchase',
      stockCode: '85123A',
      description: 'WHITE HANGING HEART T-LIGHT HOLDER',
      quantity: 6,
      unitPrice: 2.55,
      amount: 15.3,
      country: 'United Kingdom',
      timestamp: Date.UTC(2010, 11, 1, 8, 26),
    });
    // A quoted description with a doubled quote and a trailing space (line 873).
    expect(data.interactions.find((i) => i.eventId === '536477-873')?.description).toBe('RECORD FRAME 7" SINGLE SIZE');
    expect(data.interactions.at(-1)?.timestamp).toBe(Date.UTC(2011, 11, 9, 12, 50));
  });
});

describe('readOnlineRetail', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tributary-online-retail-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the data file of the package, whatever the working directory', () => {
    expect(isAbsolute(ONLINE_RETAIL_PATH)).toBe(true);
    expect(ONLINE_RETAIL_PATH.replaceAll('\\', '/')).toMatch(/packages\/examples\/data\/online-retail\.csv\.gz$/);
  });

  it('stops after `limit` rows and closes the file', async () => {
    const rows = [];
    for await (const row of readOnlineRetail(undefined, { limit: 10 })) rows.push(row);
    expect(rows).toHaveLength(10);
    expect((await loadOnlineRetail(undefined, { limit: 1_000 })).rowsRead).toBe(1_000);
  });

  it('can be left early with break', async () => {
    let seen = 0;
    for await (const _ of readOnlineRetail()) if (++seen === 5) break;
    expect(seen).toBe(5);
  });

  it('reads a plain CSV with CRLF, blank lines and bad rows, and gives each rejection its line', async () => {
    const path = join(dir, 'small.csv');
    writeFileSync(
      path,
      [
        'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
        '536365,85123A,"HEART, WHITE ",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
        '',
        '536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,,United Kingdom',
        '536367,22633,HAND WARMER,six,2010-12-01 08:28:00,1.85,13047.0,United Kingdom',
        '536368,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,13047.0',
        'C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom',
      ].join('\r\n'),
    );
    const rows = [];
    for await (const row of readOnlineRetail(path)) rows.push(row);
    expect(rows.map((r) => (r.kind === 'interaction' ? r.interaction.eventId : `${r.reason}@${r.line}`))).toEqual([
      '536365-2',
      'missing-customer@4',
      'malformed@5',
      'malformed@6',
      'C536379-7',
    ]);
    expect(rows[0]).toMatchObject({ interaction: { description: 'HEART, WHITE' } });
    expect(rows[1]).toMatchObject({ raw: '536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,,United Kingdom' });
  });

  it('refuses a file that is not the Online Retail CSV', async () => {
    const path = join(dir, 'other.csv');
    writeFileSync(path, 'id,name\n1,x\n');
    await expect(loadOnlineRetail(path)).rejects.toThrow(/not the Online Retail CSV/);
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    await expect(loadOnlineRetail(empty)).rejects.toThrow(/not the Online Retail CSV: it is empty/);
  });

  it('reports a missing file as an error', async () => {
    await expect(loadOnlineRetail(join(dir, 'absent.csv.gz'))).rejects.toThrow(/ENOENT/);
  });
});
