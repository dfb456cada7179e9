import { describe, expect, it } from 'vitest';
import { generateSyntheticInteractions, precisionRecall } from '../../src/data';
import type { FraudAlert, FraudIncident, FraudReason } from '../../src/data';

const MINUTE = 60_000;

function incident(customerId: string, reason: FraudReason, start: number, end = start): FraudIncident {
  return { id: `${customerId}/${reason}/${start}`, customerId, reason, start, end, eventIds: [] };
}

function alert(customerId: string, reasons: FraudReason[], timestamp: number): FraudAlert {
  return { customerId, reasons, timestamp };
}

const incidents = [
  incident('A', 'velocity', 1000 * MINUTE, 1004 * MINUTE),
  incident('B', 'amount-anomaly', 2000 * MINUTE),
  incident('C', 'country-change', 3000 * MINUTE, 3020 * MINUTE),
  incident('D', 'cancellation-burst', 4000 * MINUTE, 4008 * MINUTE),
];

describe('precisionRecall', () => {
  it('scores a perfect detector 1 everywhere', () => {
    const alerts = [
      alert('A', ['velocity'], 1003 * MINUTE),
      alert('B', ['amount-anomaly'], 2000 * MINUTE),
      alert('C', ['country-change'], 3020 * MINUTE),
      alert('D', ['cancellation-burst'], 4005 * MINUTE),
    ];
    const report = precisionRecall(alerts, incidents);
    expect(report.overall).toEqual({ tp: 4, fp: 0, fn: 0, duplicates: 0, precision: 1, recall: 1, f1: 1 });
    expect(report.byReason.velocity).toMatchObject({ tp: 1, fp: 0, fn: 0 });
  });

  it('counts repeated alerts for one incident once, as duplicates', () => {
    const alerts = [1001, 1002, 1003, 1004].map((m) => alert('A', ['velocity'], m * MINUTE));
    const { byReason, overall } = precisionRecall(alerts, incidents);
    expect(byReason.velocity).toMatchObject({ tp: 1, fp: 0, fn: 0, duplicates: 3, precision: 1, recall: 1 });
    expect(overall).toMatchObject({ tp: 1, fp: 0, fn: 3, duplicates: 3, precision: 1, recall: 0.25 });
  });

  it('needs the right customer, the right reason and the right time', () => {
    const alerts = [
      alert('B', ['velocity'], 1002 * MINUTE), // wrong customer
      alert('A', ['amount-anomaly'], 1002 * MINUTE), // wrong reason
      alert('A', ['velocity'], 1100 * MINUTE), // too late
      alert('A', ['velocity'], 990 * MINUTE), // too early
    ];
    const { byReason, overall } = precisionRecall(alerts, incidents);
    expect(byReason.velocity).toMatchObject({ tp: 0, fp: 3, fn: 1, precision: 0, recall: 0, f1: 0 });
    expect(byReason['amount-anomaly']).toMatchObject({ tp: 0, fp: 1, fn: 1 });
    expect(overall).toMatchObject({ tp: 0, fp: 4, fn: 4 });
  });

  it('accepts an alert within the tolerance of an incident', () => {
    const late = [alert('D', ['cancellation-burst'], 4012 * MINUTE)];
    expect(precisionRecall(late, incidents).byReason['cancellation-burst'].tp).toBe(1); // 4 min after, default 5
    expect(precisionRecall(late, incidents, { toleranceMs: 0 }).byReason['cancellation-burst']).toMatchObject({ tp: 0, fp: 1 });
  });

  it('judges each reason of an alert on its own', () => {
    const alerts = [alert('C', ['country-change', 'velocity'], 3010 * MINUTE)];
    const { byReason, overall } = precisionRecall(alerts, incidents);
    expect(byReason['country-change']).toMatchObject({ tp: 1, fp: 0 });
    expect(byReason.velocity).toMatchObject({ tp: 0, fp: 1, fn: 1 });
    expect(overall).toMatchObject({ tp: 1, fp: 1, fn: 3, precision: 0.5, recall: 0.25 });
    expect(overall.f1).toBeCloseTo(1 / 3);
  });

  it('gives two incidents of a customer and reason one alert each', () => {
    const two = [incident('A', 'velocity', 0, MINUTE), incident('A', 'velocity', 600 * MINUTE, 601 * MINUTE)];
    const { byReason } = precisionRecall([alert('A', ['velocity'], 601 * MINUTE)], two);
    expect(byReason.velocity).toMatchObject({ tp: 1, fn: 1 });
  });

  it('defines the rates when there are no alerts or no incidents', () => {
    expect(precisionRecall([], incidents).overall).toMatchObject({ tp: 0, fp: 0, fn: 4, precision: 1, recall: 0 });
    expect(precisionRecall([], []).overall).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });

  it('scores alerts made from the generator’s own labels as perfect, from incidents or labels', () => {
    const data = generateSyntheticInteractions({ seed: 3 });
    const oracle = data.incidents.map((i) => alert(i.customerId, [i.reason], i.end));
    expect(precisionRecall(oracle, data.incidents).overall).toMatchObject({ tp: 20, fp: 0, fn: 0 });
    expect(precisionRecall(oracle, data.labels.values()).overall).toMatchObject({ tp: 20, fp: 0, fn: 0 });
  });
});
