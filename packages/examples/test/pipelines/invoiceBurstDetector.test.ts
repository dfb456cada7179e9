import { Serdes, Stores, StreamsBuilder, TimeWindows } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvoiceBurstDetector, recentInvoicesSerde, type CustomerInteraction, type FraudAlert, type WindowRule } from '../../src';
import { driverFor, interaction, MINUTE, pipe, T0 } from './fixtures';

/**
 * The detector beside what it replaces: the DSL's hopping-window aggregate of distinct
 * invoices with a threshold filter, in one topology over the same input, each writing its
 * alerts (before any cooldown) to a topic of its own.
 */
function sideBySide(rule: WindowRule) {
  const builder = new StreamsBuilder();
  const purchases = builder
    .stream<string, CustomerInteraction>('customer_interactions', { keySerde: Serdes.string(), valueSerde: Serdes.json() })
    .filter((_customer, i) => i.type === 'purchase');
  purchases
    .process<string, FraudAlert>(() => new InvoiceBurstDetector('velocity', 'velocity', rule), {
      stores: [Stores.keyValueStore('velocity', { keySerde: Serdes.string(), valueSerde: recentInvoicesSerde })],
    })
    .to('detector', { keySerde: Serdes.string(), valueSerde: Serdes.json() });
  const sizeMs = TimeWindows.ofSizeAndGrace(rule.size, rule.grace).sizeMs;
  purchases
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(rule.size, rule.grace).advanceBy(rule.advance))
    .aggregate(
      () => ({ invoices: [] as string[], lastAt: 0 }),
      (_customer, i, w) => ({ invoices: w.invoices.includes(i.invoiceNo) ? w.invoices : [...w.invoices, i.invoiceNo], lastAt: Math.max(w.lastAt, i.timestamp) }),
      { name: 'reference' },
    )
    .toStream()
    .filter((_w, value) => value !== null && value.invoices.length >= rule.threshold)
    .map((w, value): readonly [string, FraudAlert] => [
      w.key,
      {
        customerId: w.key,
        reasons: ['velocity'],
        timestamp: value!.lastAt,
        details: { invoices: value!.invoices.length, windowStart: new Date(w.window.start).toISOString(), windowMinutes: sizeMs / 60_000 },
      },
    ])
    .to('reference', { keySerde: Serdes.string(), valueSerde: Serdes.json() });
  const { driver, input } = driverFor(builder.build());
  return {
    driver,
    input,
    detector: driver.createOutputTopic<string, FraudAlert>('detector'),
    reference: driver.createOutputTopic<string, FraudAlert>('reference'),
    [Symbol.dispose]: () => driver.close(),
  };
}

describe('InvoiceBurstDetector', () => {
  it('raises the alerts of the hopping-window aggregate it replaces, whatever the order and lateness of the records', () => {
    const line = fc.record({
      customer: fc.constantFrom('c1', 'c2'),
      invoice: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G'),
      // Mostly forwards, sometimes back by up to 4 minutes (later than a 1-minute grace, or within 3).
      step: fc.integer({ min: -4, max: 3 }),
      lines: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.constantFrom<WindowRule>(
        { size: '10m', advance: '1m', grace: '1m', threshold: 3 },
        { size: '5m', advance: '5m', grace: '0ms', threshold: 2 },
        { size: '15m', advance: '2m', grace: '3m', threshold: 4 },
      ), (lines, rule) => {
        using f = sideBySide(rule);
        let t = T0;
        for (const l of lines) {
          t += l.step * MINUTE;
          for (let k = 0; k < l.lines; k++) pipe(f.input, interaction({ customerId: l.customer, invoiceNo: l.invoice, stockCode: `S${k}`, timestamp: t }));
        }
        expect(f.detector.readKeyValuesToList()).toEqual(f.reference.readKeyValuesToList());
      }),
      { numRuns: 150 },
    );
  });

  it('keeps one entry per customer: the distinct (invoice, time) pairs of the windows still open', () => {
    using f = sideBySide({ size: '10m', advance: '1m', grace: '1m', threshold: 5 });
    const store = f.driver.getKeyValueStore<string, { invoiceNo: string; timestamp: number }[]>('velocity');
    for (let k = 0; k < 20; k++) pipe(f.input, interaction({ customerId: 'c1', invoiceNo: 'BIG', stockCode: `S${k}`, timestamp: T0 }));
    expect(store.get('c1')).toEqual([{ invoiceNo: 'BIG', timestamp: T0 }]);
    pipe(f.input, interaction({ customerId: 'c1', invoiceNo: 'N1', timestamp: T0 + 30 * MINUTE }));
    // BIG is in no window that is still open: gone with the next write.
    expect(store.get('c1')).toEqual([{ invoiceNo: 'N1', timestamp: T0 + 30 * MINUTE }]);
  });

  it('has a compact serde that reads back what it wrote', () => {
    const entries = [
      { invoiceNo: '536365', timestamp: T0 },
      { invoiceNo: 'C536379', timestamp: T0 + MINUTE },
    ];
    expect(recentInvoicesSerde.serialize('t', entries)!.toString()).toBe(`536365\t${T0}\tC536379\t${T0 + MINUTE}`);
    expect(recentInvoicesSerde.deserialize('t', recentInvoicesSerde.serialize('t', entries))).toEqual(entries);
    expect(recentInvoicesSerde.deserialize('t', recentInvoicesSerde.serialize('t', []))).toEqual([]);
  });
});
