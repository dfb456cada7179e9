import { describe, expect, it } from 'vitest';
import { classifyOnlineRetailRow, parseInvoiceDate } from '../../src/data';

/** A good row of the data, with some columns replaced. */
function row(changes: Partial<Record<'invoice' | 'stock' | 'description' | 'quantity' | 'date' | 'price' | 'customer' | 'country', string>> = {}): string[] {
  return [
    changes.invoice ?? '536365',
    changes.stock ?? '85123A',
    changes.description ?? 'WHITE HANGING HEART T-LIGHT HOLDER ',
    changes.quantity ?? '6',
    changes.date ?? '2010-12-01 08:26:00',
    changes.price ?? '2.55',
    changes.customer ?? '17850.0',
    changes.country ?? 'United Kingdom',
  ];
}

describe('classifyOnlineRetailRow', () => {
  it('turns a purchase line into an interaction', () => {
    expect(classifyOnlineRetailRow(row(), 2)).toEqual({
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
      timestamp: Date.UTC(2010, 11, 1, 8, 26, 0),
    });
  });

  it('keeps a cancellation, with its negative quantity and amount', () => {
    const interaction = classifyOnlineRetailRow(row({ invoice: 'C536379', quantity: '-12' }), 9);
    expect(interaction).toMatchObject({ type: 'cancellation', invoiceNo: 'C536379', quantity: -12, amount: -30.6 });
  });

  it.each([
    ['missing-customer', { customer: '' }],
    ['missing-customer', { customer: '  ' }],
    ['non-positive-price', { price: '0.0' }],
    ['non-positive-price', { price: '-11062.06' }],
    ['negative-quantity-adjustment', { quantity: '-5' }],
    ['extreme-quantity', { quantity: '80995' }],
    ['extreme-quantity', { invoice: 'C581484', quantity: '-80995' }],
    ['extreme-quantity', { quantity: '10000' }],
    ['malformed', { date: '2010-13-01 08:26:00' }],
    ['malformed', { date: '2011-02-30 08:26:00' }],
    ['malformed', { date: '12/1/2010 8:26' }],
    ['malformed', { quantity: 'six' }],
    ['malformed', { quantity: '' }],
    ['malformed', { quantity: '1.5' }],
    ['malformed', { quantity: '0' }],
    ['malformed', { price: 'n/a' }],
    ['malformed', { price: '' }],
    ['malformed', { customer: '17850.5' }],
    ['malformed', { customer: 'ABC' }],
    ['malformed', { invoice: 'A563185' }],
    ['malformed', { invoice: 'C536379', quantity: '3' }],
  ] as const)('rejects a row as %s: %o', (reason, changes) => {
    expect(classifyOnlineRetailRow(row(changes), 2)).toBe(reason);
  });

  it('keeps a quantity just below the extreme', () => {
    expect(classifyOnlineRetailRow(row({ quantity: '9999' }), 2)).toMatchObject({ quantity: 9999 });
  });

  it('rejects a row with the wrong number of fields as malformed, before anything else', () => {
    expect(classifyOnlineRetailRow(row().slice(0, 7), 2)).toBe('malformed');
    expect(classifyOnlineRetailRow([...row({ customer: '' }), 'extra'], 2)).toBe('malformed');
  });

  it('applies the documented precedence when a row has several problems', () => {
    // The 1,336 stock adjustments: negative quantity, zero price, no customer.
    expect(classifyOnlineRetailRow(row({ quantity: '-5', price: '0.0', customer: '' }), 2)).toBe('missing-customer');
    // The 'A' bad-debt adjustments: odd invoice number, negative price, no customer.
    expect(classifyOnlineRetailRow(row({ invoice: 'A563186', price: '-11062.06', customer: '' }), 2)).toBe(
      'missing-customer',
    );
    expect(classifyOnlineRetailRow(row({ date: 'yesterday', customer: '' }), 2)).toBe('missing-customer');
    expect(classifyOnlineRetailRow(row({ date: 'yesterday', price: '0' }), 2)).toBe('malformed');
    // The 12,540 free stickers: zero price beats extreme quantity.
    expect(classifyOnlineRetailRow(row({ quantity: '12540', price: '0.0' }), 2)).toBe('non-positive-price');
    expect(classifyOnlineRetailRow(row({ quantity: '-12540', price: '0.0' }), 2)).toBe('non-positive-price');
    expect(classifyOnlineRetailRow(row({ quantity: '-12540' }), 2)).toBe('negative-quantity-adjustment');
  });

  it('normalises the customer id and trims text fields', () => {
    expect(classifyOnlineRetailRow(row({ customer: '12346.0', country: ' EIRE ', description: ' OVAL WALL MIRROR DIAMANTE ' }), 2)).toMatchObject({
      customerId: '12346',
      country: 'EIRE',
      description: 'OVAL WALL MIRROR DIAMANTE',
    });
    expect(classifyOnlineRetailRow(row({ customer: '12346' }), 2)).toMatchObject({ customerId: '12346' });
  });
});

describe('parseInvoiceDate', () => {
  it('reads the data’s format as UTC, with or without seconds or a T', () => {
    expect(parseInvoiceDate('2011-12-09 12:50:00')).toBe(Date.UTC(2011, 11, 9, 12, 50));
    expect(parseInvoiceDate('2011-12-09 12:50')).toBe(Date.UTC(2011, 11, 9, 12, 50));
    expect(parseInvoiceDate('2011-12-09T12:50:30')).toBe(Date.UTC(2011, 11, 9, 12, 50, 30));
  });

  it('returns NaN for anything else', () => {
    for (const text of ['', '2011-12-09', '2011-12-09 24:00:00', '2011-12-32 10:00:00', '2011-12-09 10:00:00Z']) {
      expect(parseInvoiceDate(text)).toBeNaN();
    }
  });
});
