import { lineAmount } from './interaction';
import type { CustomerInteraction } from './interaction';

/** The header of the Online Retail CSV, in column order. */
export const ONLINE_RETAIL_COLUMNS = [
  'InvoiceNo',
  'StockCode',
  'Description',
  'Quantity',
  'InvoiceDate',
  'UnitPrice',
  'CustomerID',
  'Country',
] as const;

/**
 * Why a row of the Online Retail data did not become a {@link CustomerInteraction},
 * listed in the order in which they are checked (the first that applies wins).
 */
export const REJECTION_REASONS = [
  'malformed',
  'missing-customer',
  'non-positive-price',
  'negative-quantity-adjustment',
  'extreme-quantity',
] as const;

/** One of {@link REJECTION_REASONS}. */
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Quantities at or above this size, either sign, are bulk orders or keying errors. */
export const EXTREME_QUANTITY = 10_000;

const INVOICE_NO = /^C?\d+$/;
const CUSTOMER_ID = /^(\d+)(?:\.0*)?$/;
const COLUMN_COUNT = ONLINE_RETAIL_COLUMNS.length;

/**
 * Turns the fields of one Online Retail row into a {@link CustomerInteraction},
 * or says why the row is rejected.
 *
 * Each kind of bad row in the data is decided on purpose. A row may have several
 * problems; it is rejected for the first that applies, in this order:
 *
 * 1. `malformed`: the row does not have one field per column, so no field can be
 *    trusted.
 * 2. `missing-customer`: CustomerID is empty (135,080 rows). Without a customer
 *    there is no record key, whatever else the row says: this takes in the 1,336
 *    negative-quantity stock adjustments ("damaged", "lost"), 383 cancellations,
 *    2,477 rows priced at zero or below and the 3 `A` bad-debt adjustments, none
 *    of which has a customer.
 * 3. `malformed`: a value does not parse: InvoiceNo is not digits with an optional
 *    `C`; CustomerID is not an integer (`17850.0` is, and becomes `17850`);
 *    Quantity is not a non-zero integer; UnitPrice is not a number; InvoiceDate
 *    is not a valid `YYYY-MM-DD HH:MM[:SS]`; or a cancellation has a positive
 *    quantity (it must take items back).
 * 4. `non-positive-price`: UnitPrice <= 0, free samples and manual fixes (40 rows
 *    with a customer).
 * 5. `negative-quantity-adjustment`: Quantity < 0 on an invoice that is not a
 *    cancellation, a stock correction rather than a customer's act (none has a
 *    customer in this file, so the count is 0 there; the rule stays for other
 *    extracts).
 * 6. `extreme-quantity`: |Quantity| >= {@link EXTREME_QUANTITY}, the two
 *    order-and-cancel pairs of 74,215 and 80,995 items, which would dwarf every
 *    real customer's spend (4 rows; the line of 12,540 free stickers is rejected by
 *    rule 4 first).
 *
 * Kept on purpose: a cancellation (InvoiceNo starting with `C`) becomes an
 * interaction of type `'cancellation'` with its negative quantity and amount,
 * because fraud detection watches them. Descriptions and countries are trimmed;
 * InvoiceDate is read as UTC.
 *
 * @param fields The row's fields, in {@link ONLINE_RETAIL_COLUMNS} order.
 * @param line The row's line in the file, for the event id `${invoiceNo}-${line}`.
 * @param dates A cache of parsed dates; rows come in runs with the same InvoiceDate.
 * @return The interaction, or the reason for rejecting the row.
 */
export function classifyOnlineRetailRow(
  fields: readonly string[],
  line: number,
  dates: InvoiceDateCache = new InvoiceDateCache(),
): CustomerInteraction | RejectionReason {
  if (fields.length !== COLUMN_COUNT) return 'malformed';
  const [invoiceField, stockCode, description, quantityField, dateField, priceField, customerField, country] =
    fields as [string, string, string, string, string, string, string, string];

  const customer = customerField.trim();
  if (customer === '') return 'missing-customer';

  const invoiceNo = invoiceField.trim();
  const customerMatch = CUSTOMER_ID.exec(customer);
  const quantity = quantityField.trim() === '' ? Number.NaN : Number(quantityField);
  const unitPrice = priceField.trim() === '' ? Number.NaN : Number(priceField);
  const timestamp = dates.parse(dateField);
  if (
    !INVOICE_NO.test(invoiceNo) ||
    customerMatch === null ||
    !Number.isInteger(quantity) ||
    quantity === 0 ||
    !Number.isFinite(unitPrice) ||
    Number.isNaN(timestamp)
  ) {
    return 'malformed';
  }
  const cancellation = invoiceNo.charCodeAt(0) === 0x43; /* C */
  if (cancellation && quantity > 0) return 'malformed';

  if (unitPrice <= 0) return 'non-positive-price';
  if (quantity < 0 && !cancellation) return 'negative-quantity-adjustment';
  if (Math.abs(quantity) >= EXTREME_QUANTITY) return 'extreme-quantity';

  return {
    eventId: `${invoiceNo}-${line}`,
    customerId: customerMatch[1] as string,
    invoiceNo,
    type: cancellation ? 'cancellation' : 'purchase',
    stockCode: stockCode.trim(),
    description: description.trim(),
    quantity,
    unitPrice,
    amount: lineAmount(quantity, unitPrice),
    country: country.trim(),
    timestamp,
  };
}

/**
 * Parses InvoiceDate values (`2010-12-01 08:26:00`, read as UTC) and remembers
 * the last one, since the rows of an invoice share it.
 */
export class InvoiceDateCache {
  private lastText = '';
  private lastValue = Number.NaN;

  /**
   * @param text `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DD HH:MM`, or either with `T`.
   * @return Epoch milliseconds, or `NaN` if the text is not a valid date.
   */
  parse(text: string): number {
    if (text === this.lastText) return this.lastValue;
    this.lastText = text;
    this.lastValue = parseInvoiceDate(text);
    return this.lastValue;
  }
}

const INVOICE_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Parses an Online Retail InvoiceDate as UTC.
 *
 * @param text `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DD HH:MM`, or either with `T`.
 * @return Epoch milliseconds, or `NaN` if the text is not a valid date.
 */
export function parseInvoiceDate(text: string): number {
  const match = INVOICE_DATE.exec(text.trim());
  if (match === null) return Number.NaN;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const year = y as number;
  const month = mo as number;
  const day = d as number;
  const hour = h as number;
  const minute = mi as number;
  const second = Number.isNaN(s) ? 0 : (s as number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2011-02-30 over to March; such a date is not valid.
  return new Date(ms).getUTCDate() === day ? ms : Number.NaN;
}
