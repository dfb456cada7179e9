import { describe, expect, it } from 'vitest';
import {
  customerInteractionSchema,
  FRAUD_REASONS,
  generateSyntheticInteractions,
  mulberry32,
  SYNTHETIC_PROFILE,
} from '../../src/data';
import type { CustomerInteraction, FraudIncident, StandardSchemaV1 } from '../../src/data';

const MINUTE = 60_000;

describe('mulberry32', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(2)()).not.toBe(draws[0]);
  });
});

describe('generateSyntheticInteractions', () => {
  const data = generateSyntheticInteractions({ seed: 42 });
  const eventsOf = (incident: FraudIncident): CustomerInteraction[] =>
    data.events.filter((e) => incident.eventIds.includes(e.eventId));

  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateSyntheticInteractions({ seed: 42 });
    expect(again.events).toEqual(data.events);
    expect(again.incidents).toEqual(data.incidents);
    expect([...again.labels.keys()]).toEqual([...data.labels.keys()]);
    expect(generateSyntheticInteractions({ seed: 43 }).events).not.toEqual(data.events);
  });

  it('makes valid, uniquely identified interactions in time order', () => {
    expect(data.events.length).toBeGreaterThan(2000);
    expect(new Set(data.events.map((e) => e.eventId)).size).toBe(data.events.length);
    for (let i = 1; i < data.events.length; i++) {
      expect(data.events[i]!.timestamp).toBeGreaterThanOrEqual(data.events[i - 1]!.timestamp);
    }
    for (const event of data.events) {
      const result = customerInteractionSchema['~standard'].validate(event) as StandardSchemaV1.Result<CustomerInteraction>;
      expect(result.issues).toBeUndefined();
      expect(Math.sign(event.quantity)).toBe(event.type === 'cancellation' ? -1 : 1);
    }
    expect(new Set(data.events.map((e) => e.customerId)).size).toBe(200);
  });

  it('injects each pattern the requested number of times, one customer each', () => {
    for (const reason of FRAUD_REASONS) {
      expect(data.incidents.filter((i) => i.reason === reason)).toHaveLength(5);
    }
    expect(new Set(data.incidents.map((i) => i.customerId)).size).toBe(20);
    for (const incident of data.incidents) {
      expect(eventsOf(incident).every((e) => e.customerId === incident.customerId)).toBe(true);
      for (const id of incident.eventIds) expect(data.labels.get(id)).toBe(incident);
    }
    expect(data.labels.size).toBe(data.incidents.reduce((n, i) => n + i.eventIds.length, 0));
  });

  it('shapes each pattern as documented', () => {
    for (const incident of data.incidents) {
      const events = eventsOf(incident);
      expect(incident.start).toBe(events[0]!.timestamp);
      expect(incident.end).toBe(events.at(-1)!.timestamp);
      const duration = incident.end - incident.start;
      const invoices = new Set(events.map((e) => e.invoiceNo)).size;
      switch (incident.reason) {
        case 'velocity':
          expect(events.every((e) => e.type === 'purchase')).toBe(true);
          expect(invoices).toBeGreaterThanOrEqual(10);
          expect(duration).toBeLessThanOrEqual(5 * MINUTE);
          break;
        case 'amount-anomaly': {
          expect(events).toHaveLength(1);
          const normal = data.events.filter((e) => e.customerId === incident.customerId && !data.labels.has(e.eventId));
          const amounts = normal.map((e) => Math.abs(e.amount));
          const mean = amounts.reduce((a, b) => a + b, 0) / amounts.length;
          const sd = Math.sqrt(amounts.reduce((a, b) => a + (b - mean) ** 2, 0) / amounts.length);
          expect((events[0]!.amount - mean) / sd).toBeGreaterThan(10);
          break;
        }
        case 'country-change':
          expect(events).toHaveLength(2);
          expect(events[0]!.country).not.toBe(events[1]!.country);
          expect(duration).toBeGreaterThanOrEqual(5 * MINUTE);
          expect(duration).toBeLessThanOrEqual(30 * MINUTE);
          break;
        case 'cancellation-burst':
          expect(events.every((e) => e.type === 'cancellation')).toBe(true);
          expect(events.length).toBeGreaterThanOrEqual(5);
          expect(duration).toBeLessThanOrEqual(10 * MINUTE);
          break;
      }
    }
  });

  it('keeps normal behaviour clear of the patterns', () => {
    const byCustomer = new Map<string, CustomerInteraction[]>();
    for (const e of data.events) {
      if (data.labels.has(e.eventId)) continue;
      byCustomer.set(e.customerId, [...(byCustomer.get(e.customerId) ?? []), e]);
    }
    for (const [customerId, events] of byCustomer) {
      expect(new Set(events.map((e) => e.country)).size).toBe(1);
      const times = [...new Set(events.map((e) => e.timestamp))];
      for (let i = 1; i < times.length; i++) {
        expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(SYNTHETIC_PROFILE.minInvoiceGapMs);
      }
      const incident = data.incidents.find((i) => i.customerId === customerId);
      if (incident !== undefined) {
        const near = events.filter(
          (e) => e.timestamp > incident.start - SYNTHETIC_PROFILE.quietMs && e.timestamp < incident.end + SYNTHETIC_PROFILE.quietMs,
        );
        expect(near).toEqual([]);
      }
    }
  });

  it('honours the options and refuses too few customers', () => {
    const small = generateSyntheticInteractions({ seed: 1, customers: 8, incidentsPerPattern: 2, start: 0, spanMs: 86_400_000 });
    expect(small.incidents).toHaveLength(8);
    expect(small.events.every((e) => e.timestamp >= 0 && e.timestamp < 86_400_000 + 3_600_000)).toBe(true);
    expect(() => generateSyntheticInteractions({ customers: 3, incidentsPerPattern: 1 })).toThrow(RangeError);
  });
});
