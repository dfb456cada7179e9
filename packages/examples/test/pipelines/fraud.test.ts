import { describe, expect, it } from 'vitest';
import {
  addAmount,
  amountStatsSerde,
  buildFraudTopology,
  emptyAmountStats,
  FRAUD_STORES,
  generateSyntheticInteractions,
  precisionRecall,
  purchaseLocationSerde,
  stdDev,
  type AmountStats,
  type FraudAlert,
  type FraudOptions,
} from '../../src';
import { driverFor, HOUR, interaction, MINUTE, pipe, T0 } from './fixtures';

function setup(options: FraudOptions = {}) {
  const { driver, input } = driverFor(buildFraudTopology(options));
  const output = driver.createOutputTopic<string, FraudAlert>('fraud_alerts');
  return { driver, input, output, [Symbol.dispose]: () => driver.close() };
}

describe('buildFraudTopology', () => {
  it('raises one velocity alert for five purchase invoices within ten minutes', () => {
    using f = setup();
    for (let i = 0; i < 7; i++) pipe(f.input, interaction({ customerId: 'c1', invoiceNo: `V${i}`, timestamp: T0 + i * MINUTE }));
    const alerts = f.output.readValuesToList();
    // The fifth invoice reaches the threshold in several hopping windows; the cooldown keeps one alert.
    expect(alerts).toEqual([
      { customerId: 'c1', reasons: ['velocity'], timestamp: T0 + 4 * MINUTE, details: { invoices: 5, windowStart: new Date(T0 - 5 * MINUTE).toISOString(), windowMinutes: 10 } },
    ]);
  });

  it('counts invoices, not lines, and forgets invoices outside the window', () => {
    using f = setup();
    // One invoice of 20 lines, then 4 invoices spread over an hour: never 5 in 10 minutes.
    for (let i = 0; i < 20; i++) pipe(f.input, interaction({ customerId: 'c1', invoiceNo: 'BIG', stockCode: `S${i}`, timestamp: T0 }));
    for (let i = 1; i <= 4; i++) pipe(f.input, interaction({ customerId: 'c1', invoiceNo: `N${i}`, timestamp: T0 + i * 15 * MINUTE }));
    expect(f.output.isEmpty()).toBe(true);
    const store = f.driver.storesNamed(FRAUD_STORES.purchaseVelocity);
    expect(store).toHaveLength(1);
  });

  it('flags an amount far above the running mean (z-score) once there is a history', () => {
    using f = setup();
    const amounts = [10, 12, 9, 11, 10, 13, 8];
    amounts.forEach((amount, i) => pipe(f.input, interaction({ customerId: 'c1', invoiceNo: `A${i}`, quantity: 1, unitPrice: amount, timestamp: T0 + i * HOUR })));
    expect(f.output.isEmpty()).toBe(true);
    pipe(f.input, interaction({ customerId: 'c1', invoiceNo: 'BIG', quantity: 100, unitPrice: 5, timestamp: T0 + 10 * HOUR }));
    const [alert, ...rest] = f.output.readValuesToList();
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ customerId: 'c1', reasons: ['amount-anomaly'], timestamp: T0 + 10 * HOUR, details: { amount: 500, history: 7 } });
    const stats = f.driver.getKeyValueStore<string, AmountStats>(FRAUD_STORES.amountStats).get('c1')!;
    expect(stats.n).toBe(8);
    expect((alert!.details as { zScore: number }).zScore).toBeGreaterThan(100);
  });

  it('does not judge amounts before the history is long enough', () => {
    using f = setup();
    pipe(f.input, interaction({ customerId: 'c1', invoiceNo: 'A1', quantity: 1, unitPrice: 10, timestamp: T0 }));
    pipe(f.input, interaction({ customerId: 'c1', invoiceNo: 'A2', quantity: 1, unitPrice: 11, timestamp: T0 + HOUR }));
    pipe(f.input, interaction({ customerId: 'c1', invoiceNo: 'A3', quantity: 1000, unitPrice: 10, timestamp: T0 + 2 * HOUR }));
    expect(f.output.isEmpty()).toBe(true);
  });

  it('flags a purchase from another country within the hour', () => {
    using f = setup();
    pipe(
      f.input,
      interaction({ customerId: 'c1', invoiceNo: 'H1', country: 'France', timestamp: T0 }),
      interaction({ customerId: 'c1', invoiceNo: 'H2', country: 'Japan', timestamp: T0 + 20 * MINUTE }),
      // Two hours later, back home: far enough apart.
      interaction({ customerId: 'c1', invoiceNo: 'H3', country: 'France', timestamp: T0 + 140 * MINUTE }),
    );
    expect(f.output.readValuesToList()).toEqual([
      { customerId: 'c1', reasons: ['country-change'], timestamp: T0 + 20 * MINUTE, details: { from: 'France', to: 'Japan', minutesApart: 20 } },
    ]);
    expect(f.driver.getKeyValueStore(FRAUD_STORES.lastLocation).get('c1')).toEqual({ country: 'France', at: T0 + 140 * MINUTE });
  });

  it('flags a burst of cancellations', () => {
    using f = setup();
    for (let i = 0; i < 5; i++) pipe(f.input, interaction({ customerId: 'c1', type: 'cancellation', invoiceNo: `C${i}`, timestamp: T0 + i * 3 * MINUTE }));
    expect(f.output.readValuesToList()).toMatchObject([{ customerId: 'c1', reasons: ['cancellation-burst'], timestamp: T0 + 12 * MINUTE, details: { invoices: 5 } }]);
  });

  it('takes other thresholds', () => {
    using f = setup({ velocity: { threshold: 2, size: '5m', advance: '5m' }, alertCooldown: '1m' });
    pipe(f.input, interaction({ customerId: 'c1', invoiceNo: 'X1', timestamp: T0 }), interaction({ customerId: 'c1', invoiceNo: 'X2', timestamp: T0 + MINUTE }));
    expect(f.output.readValuesToList().map((a) => a.reasons)).toEqual([['velocity']]);
  });
});

describe('addAmount (Welford)', () => {
  it('keeps the mean and sample variance of a plain two-pass computation', () => {
    const amounts = [3.5, 12, 0.42, 99.9, 15, 15, 7.25, 1000, 0.01, 42];
    let stats = emptyAmountStats();
    for (const [i, amount] of amounts.entries()) stats = addAmount(stats, amount, i);
    const mean = amounts.reduce((a, b) => a + b, 0) / amounts.length;
    const variance = amounts.reduce((a, b) => a + (b - mean) ** 2, 0) / (amounts.length - 1);
    expect(stats.n).toBe(amounts.length);
    expect(stats.mean).toBeCloseTo(mean, 10);
    expect(stdDev(stats)).toBeCloseTo(Math.sqrt(variance), 10);
  });

  it('judges the new amount against the statistics before it', () => {
    let stats = emptyAmountStats();
    for (const amount of [10, 10, 10, 10, 12]) stats = addAmount(stats, amount, 0);
    const next = addAmount(stats, 200, 1);
    expect(next.latest).toMatchObject({ amount: 200, history: 5, mean: stats.mean, stdDev: stdDev(stats), anomalous: true });
    expect(next.latest!.zScore).toBeCloseTo((200 - stats.mean) / stdDev(stats), 10);
  });
});

describe('the compact serdes of the fraud stores', () => {
  it('read back exactly what they wrote', () => {
    let stats = emptyAmountStats();
    expect(amountStatsSerde.deserialize('t', amountStatsSerde.serialize('t', stats))).toEqual(stats);
    for (const [i, amount] of [3.5, 12, 0.42].entries()) stats = addAmount(stats, amount, T0 + i);
    expect(stats.latest!.zScore).not.toBeNull();
    expect(amountStatsSerde.deserialize('t', amountStatsSerde.serialize('t', stats))).toEqual(stats);
    const first = addAmount(emptyAmountStats(), 7.25, T0);
    expect(first.latest!.zScore).toBeNull();
    expect(amountStatsSerde.deserialize('t', amountStatsSerde.serialize('t', first))).toEqual(first);
    const location = { country: 'United Kingdom', at: T0 };
    expect(purchaseLocationSerde.deserialize('t', purchaseLocationSerde.serialize('t', location))).toEqual(location);
  });
});

describe('the fraud pipeline on the synthetic data', () => {
  // Measured with the default rules: precision and recall 1.0 for each seed below (every
  // injected incident found, no false alarm). The minimums leave room for rule changes.
  it.each([
    { seed: 42, customers: 200, incidentsPerPattern: 5 },
    { seed: 7, customers: 1000, incidentsPerPattern: 25 },
  ])('finds the injected incidents (seed $seed, $customers customers)', (options) => {
    const { events, incidents } = generateSyntheticInteractions(options);
    using f = setup();
    pipe(f.input, ...events);
    const alerts = f.output.readValuesToList();
    const report = precisionRecall(alerts, incidents);
    expect(report.overall.recall).toBeGreaterThanOrEqual(0.95);
    expect(report.overall.precision).toBeGreaterThanOrEqual(0.95);
    for (const score of Object.values(report.byReason)) {
      expect(score.recall).toBeGreaterThanOrEqual(0.9);
      expect(score.precision).toBeGreaterThanOrEqual(0.9);
    }
  });
});
