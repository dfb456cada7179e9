import { silentLogger, type Topology } from '@tributary/core';
import { TopologyTestDriver, type TestInputTopic } from '@tributary/core/testing';
import { lineAmount, type CustomerInteraction } from '../../src/data';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** 2011-03-01T10:00Z, a Tuesday in the middle of the data set. */
export const T0 = Date.UTC(2011, 2, 1, 10);

let line = 0;

/** An interaction with sensible defaults: a purchase of 2 x £2.50 of product 85123A, in the UK, at T0. */
export function interaction(overrides: Partial<CustomerInteraction> & { customerId: string }): CustomerInteraction {
  const quantity = overrides.quantity ?? (overrides.type === 'cancellation' ? -2 : 2);
  const unitPrice = overrides.unitPrice ?? 2.5;
  const invoiceNo = overrides.invoiceNo ?? `${overrides.type === 'cancellation' ? 'C' : ''}5${String(++line).padStart(5, '0')}`;
  return {
    eventId: `${invoiceNo}-${++line}`,
    invoiceNo,
    type: 'purchase',
    stockCode: '85123A',
    description: 'WHITE HANGING HEART T-LIGHT HOLDER',
    quantity,
    unitPrice,
    amount: lineAmount(quantity, unitPrice),
    country: 'United Kingdom',
    timestamp: T0,
    ...overrides,
  };
}

/** A test driver over `topology` with a quiet logger, and its `customer_interactions` input. */
export function driverFor(topology: Topology, partitions = 1): { driver: TopologyTestDriver; input: TestInputTopic<string, CustomerInteraction> } {
  const driver = new TopologyTestDriver(topology, { logger: silentLogger, defaultPartitions: partitions, initialWallClockTime: T0 });
  return { driver, input: driver.createInputTopic<string, CustomerInteraction>('customer_interactions') };
}

/** Pipes interactions keyed by customer, stamped with their own timestamps. */
export function pipe(input: TestInputTopic<string, CustomerInteraction>, ...interactions: CustomerInteraction[]): void {
  for (const i of interactions) input.pipeInput(i.customerId, i, i.timestamp);
}
