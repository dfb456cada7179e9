import { Serdes } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { customerInteractionSchema, lineAmount } from '../../src/data';
import type { CustomerInteraction, StandardSchemaV1 } from '../../src/data';

const valid: CustomerInteraction = {
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
};

function validate(value: unknown): StandardSchemaV1.Result<CustomerInteraction> {
  const result = customerInteractionSchema['~standard'].validate(value);
  if (result instanceof Promise) throw new Error('validation should be synchronous');
  return result;
}

describe('customerInteractionSchema', () => {
  it('is a Standard Schema v1 object', () => {
    expect(customerInteractionSchema['~standard'].version).toBe(1);
    expect(customerInteractionSchema['~standard'].vendor).toBe('tributary');
  });

  it('accepts a CustomerInteraction, also after a JSON round trip', () => {
    expect(validate(valid)).toEqual({ value: valid });
    expect(validate(JSON.parse(JSON.stringify(valid)))).toEqual({ value: valid });
    expect(validate({ ...valid, type: 'cancellation', quantity: -6, amount: -15.3 }).issues).toBeUndefined();
  });

  it('reports every wrong field with its path', () => {
    const result = validate({ ...valid, customerId: 17850, type: 'refund', amount: '15.30', timestamp: 1.5 });
    expect(result.issues?.map((issue) => issue.path)).toEqual([['customerId'], ['amount'], ['timestamp'], ['type']]);
  });

  it('rejects missing fields, empty ids, non-finite numbers and non-objects', () => {
    const { description: _, ...withoutDescription } = valid;
    expect(validate(withoutDescription).issues?.map((i) => i.path)).toEqual([['description']]);
    expect(validate({ ...valid, eventId: '' }).issues?.map((i) => i.path)).toEqual([['eventId']]);
    expect(validate({ ...valid, unitPrice: Number.NaN }).issues?.map((i) => i.path)).toEqual([['unitPrice']]);
    for (const value of [null, 'text', 42, [valid]]) expect(validate(value).issues).toHaveLength(1);
  });
});

describe('Serdes.json(customerInteractionSchema)', () => {
  it('round-trips an interaction and turns a bad message into a deserialization error', () => {
    const serde = Serdes.json(customerInteractionSchema);
    const data = serde.serialize('customer_interactions', valid);
    const read: CustomerInteraction = serde.deserialize('customer_interactions', data);
    expect(read).toEqual(valid);
    const bad = Buffer.from(JSON.stringify({ ...valid, amount: 'lots' }));
    expect(() => serde.deserialize('customer_interactions', bad)).toThrow(/amount/);
  });
});

describe('lineAmount', () => {
  it('rounds quantity * unitPrice to cents, half away from zero', () => {
    expect(lineAmount(6, 2.55)).toBe(15.3); // 15.299999999999999 in floating point
    expect(lineAmount(3, 1.1)).toBe(3.3);
    expect(lineAmount(1, 1.005)).toBe(1.01);
    expect(lineAmount(-1, 1.005)).toBe(-1.01);
    expect(lineAmount(1, 0.001)).toBe(0);
    expect(Object.is(lineAmount(-1, 0.001), 0)).toBe(true); // never -0
    expect(lineAmount(80995, 2.08)).toBe(168469.6);
    expect(lineAmount(-74215, 1.04)).toBe(-77183.6);
    expect(lineAmount(2, 0.12345)).toBe(0.25); // more than three decimals
  });
});
