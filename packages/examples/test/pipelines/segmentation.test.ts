import { describe, expect, it } from 'vitest';
import {
  buildSegmentationTopology,
  classifySegment,
  CUSTOMER_INVOICES_STORE,
  CUSTOMER_SEGMENTS_STORE,
  DEFAULT_SEGMENT_RULES,
  emptyRfmProfile,
  keysStartingWith,
  RFM_PROFILES_STORE,
  rfmProfileSerde,
  type RfmProfile,
  type SegmentChange,
} from '../../src';
import { DAY, driverFor, HOUR, interaction, pipe, T0 } from './fixtures';

function setup() {
  const { driver, input } = driverFor(buildSegmentationTopology());
  const output = driver.createOutputTopic<string, SegmentChange>('customer_segments');
  const profiles = driver.getKeyValueStore<string, RfmProfile>(RFM_PROFILES_STORE);
  return { driver, input, output, profiles };
}

describe('buildSegmentationTopology', () => {
  it('keeps an RFM profile per customer: distinct invoices, net spend, first and last purchase', () => {
    using fixture = disposable(setup());
    const { input, profiles } = fixture;
    pipe(
      input,
      interaction({ customerId: 'c1', invoiceNo: '536365', quantity: 6, unitPrice: 2.55, timestamp: T0 }),
      interaction({ customerId: 'c1', invoiceNo: '536365', stockCode: '71053', quantity: 6, unitPrice: 3.39, timestamp: T0 }),
      interaction({ customerId: 'c1', invoiceNo: '536400', quantity: 1, unitPrice: 10, timestamp: T0 + 2 * DAY }),
      interaction({ customerId: 'c1', invoiceNo: 'C536401', type: 'cancellation', quantity: -1, unitPrice: 10, timestamp: T0 + 3 * DAY }),
      interaction({ customerId: 'c2', invoiceNo: '536402', timestamp: T0 + 3 * DAY }),
    );
    expect(profiles.get('c1')).toMatchObject({
      customerId: 'c1',
      frequency: 2,
      monetary: 15.3 + 20.34 + 10 - 10,
      purchaseLines: 3,
      cancellationLines: 1,
      firstPurchaseAt: T0,
      lastPurchaseAt: T0 + 2 * DAY,
    });
    expect(profiles.get('c2')).toMatchObject({ frequency: 1, monetary: 5 });
    // The invoices counted: one entry per customer and purchase invoice, not a list in the profile.
    expect(fixture.driver.getKeyValueStore<string, number>(CUSTOMER_INVOICES_STORE).range(...keysStartingWith('c1'))).toEqual([
      ['c1|536365', T0],
      ['c1|536400', T0 + 2 * DAY],
    ]);
  });

  it('emits a segment change only when the segment changes', () => {
    using fixture = disposable(setup());
    const { input, output } = fixture;
    pipe(input, interaction({ customerId: 'c1', timestamp: T0 }));
    expect(output.readValuesToList()).toEqual([
      { customerId: 'c1', segment: 'New', previousSegment: null, recencyDays: 0, frequency: 1, monetary: 5, timestamp: T0 },
    ]);
    // More lines and invoices within the first month: still New, so nothing is emitted.
    pipe(input, interaction({ customerId: 'c1', invoiceNo: 'X1', timestamp: T0 + HOUR }), interaction({ customerId: 'c1', invoiceNo: 'X2', timestamp: T0 + DAY }));
    expect(output.isEmpty()).toBe(true);
    // The fourth invoice makes a Loyal customer.
    pipe(input, interaction({ customerId: 'c1', invoiceNo: 'X3', timestamp: T0 + 2 * DAY }));
    expect(output.readValuesToList().map((c) => [c.segment, c.previousSegment, c.frequency])).toEqual([['Loyal', 'New', 4]]);
  });

  it('moves customers who stop buying to At Risk and Lost as stream time passes, without a record of theirs', () => {
    using fixture = disposable(setup());
    const { input, output } = fixture;
    pipe(input, interaction({ customerId: 'quiet', timestamp: T0 }));
    // Another customer's purchases move stream time on; the daily re-evaluation sees the quiet one age.
    for (let day = 1; day <= 200; day++) pipe(input, interaction({ customerId: 'busy', invoiceNo: `B${day}`, timestamp: T0 + day * DAY }));
    const quiet = output.readValuesToList().filter((c) => c.customerId === 'quiet');
    expect(quiet.map((c) => [c.segment, c.recencyDays])).toEqual([
      ['New', 0],
      ['Promising', 31],
      ['At Risk', 91],
      ['Lost', 181],
    ]);
    // Each change carries the time it was seen: the day boundary of the re-evaluation.
    expect(quiet[3]!.timestamp).toBeGreaterThanOrEqual(T0 + 181 * DAY);
  });

  it('makes Champions of frequent, recent, big spenders', () => {
    using fixture = disposable(setup());
    const { input, output, driver } = fixture;
    for (let i = 0; i < 10; i++) {
      pipe(input, interaction({ customerId: 'vip', invoiceNo: `V${i}`, quantity: 100, unitPrice: 6, timestamp: T0 + i * DAY }));
    }
    expect(output.readValuesToList().map((c) => c.segment)).toEqual(['New', 'Loyal', 'Champions']);
    expect(driver.getKeyValueStore(CUSTOMER_SEGMENTS_STORE).get('vip')).toBe('Champions');
  });

  it('gives no segment to a customer who only cancelled', () => {
    using fixture = disposable(setup());
    const { input, output, profiles } = fixture;
    pipe(input, interaction({ customerId: 'c9', type: 'cancellation', invoiceNo: 'C1', timestamp: T0 }));
    expect(output.isEmpty()).toBe(true);
    expect(profiles.get('c9')).toMatchObject({ frequency: 0, monetary: -5, lastPurchaseAt: null });
  });
});

describe('rfmProfileSerde', () => {
  it('writes a profile as one line of text and reads it back', () => {
    const profile: RfmProfile = {
      customerId: '17850',
      frequency: 34,
      monetary: 5288.63,
      spendPence: 528863,
      purchaseLines: 297,
      cancellationLines: 21,
      firstPurchaseAt: T0,
      lastPurchaseAt: T0 + DAY,
    };
    expect(rfmProfileSerde.serialize('t', profile)!.toString()).toBe(`17850\t34\t528863\t297\t21\t${T0}\t${T0 + DAY}`);
    expect(rfmProfileSerde.deserialize('t', rfmProfileSerde.serialize('t', profile))).toEqual(profile);
    const onlyCancelled = { ...emptyRfmProfile(), customerId: 'c9', spendPence: -500, monetary: -5, cancellationLines: 1 };
    expect(rfmProfileSerde.deserialize('t', rfmProfileSerde.serialize('t', onlyCancelled))).toEqual(onlyCancelled);
  });
});

describe('classifySegment', () => {
  const rules = DEFAULT_SEGMENT_RULES;
  it.each([
    [{ recencyDays: 30, frequency: 10, monetary: 5000, tenureDays: 300 }, 'Champions'],
    [{ recencyDays: 31, frequency: 10, monetary: 5000, tenureDays: 300 }, 'Loyal'],
    [{ recencyDays: 5, frequency: 9, monetary: 99_999, tenureDays: 300 }, 'Loyal'],
    [{ recencyDays: 90, frequency: 4, monetary: 10, tenureDays: 300 }, 'Loyal'],
    [{ recencyDays: 0, frequency: 1, monetary: 10, tenureDays: 0 }, 'New'],
    [{ recencyDays: 20, frequency: 3, monetary: 10, tenureDays: 30 }, 'New'],
    [{ recencyDays: 20, frequency: 3, monetary: 10, tenureDays: 31 }, 'Promising'],
    [{ recencyDays: 91, frequency: 20, monetary: 10_000, tenureDays: 300 }, 'At Risk'],
    [{ recencyDays: 180, frequency: 1, monetary: 10, tenureDays: 300 }, 'At Risk'],
    [{ recencyDays: 181, frequency: 50, monetary: 50_000, tenureDays: 300 }, 'Lost'],
  ] as const)('%o is %s', (values, segment) => {
    expect(classifySegment(values, rules)).toBe(segment);
  });

  it('takes other thresholds', () => {
    expect(classifySegment({ recencyDays: 40, frequency: 3, monetary: 100, tenureDays: 100 }, { ...rules, loyalMinFrequency: 3 })).toBe('Loyal');
  });
});

/** Closes the driver at the end of the test's scope (`using`). */
function disposable<T extends { driver: { close(): void } }>(fixture: T): T & Disposable {
  return Object.assign(fixture, { [Symbol.dispose]: () => fixture.driver.close() });
}
