import type { StandardSchemaV1 } from './standardSchema';

/** The topic that carries {@link CustomerInteraction} events, keyed by `customerId`. */
export const CUSTOMER_INTERACTIONS_TOPIC = 'customer_interactions';

/** What a customer did on an invoice line: bought items, or took them back. */
export type InteractionType = 'purchase' | 'cancellation';

/**
 * One invoice line of a customer: the value of a record on the
 * `customer_interactions` topic (JSON), whose key is `customerId` and whose
 * timestamp is `timestamp`.
 *
 * Produced from the Online Retail data set by `readOnlineRetail` and invented by
 * `generateSyntheticInteractions`.
 */
export interface CustomerInteraction {
  /** Unique per event: `${invoiceNo}-${lineNumber}`. */
  eventId: string;
  /** The customer's id as an integer string: `'17850'` (the data writes `17850.0`). */
  customerId: string;
  /** The invoice; a cancellation's number starts with `C`. */
  invoiceNo: string;
  type: InteractionType;
  stockCode: string;
  /** The product's name, trimmed. */
  description: string;
  /** Items on the line, as in the data: negative for a cancellation. */
  quantity: number;
  /** Price of one item, in pounds sterling. */
  unitPrice: number;
  /** `quantity * unitPrice`, rounded to cents (half away from zero); negative for a cancellation. */
  amount: number;
  /** The customer's country. */
  country: string;
  /** Epoch milliseconds of the invoice date, read as UTC. */
  timestamp: number;
}

/**
 * The amount of an invoice line: `quantity * unitPrice` rounded to cents, half
 * away from zero, without binary floating-point noise (`1.005` rounds to `1.01`).
 *
 * @param quantity Items on the line; negative for a cancellation.
 * @param unitPrice Price of one item.
 * @return The amount in pounds, with at most two decimals; never `-0`.
 */
export function lineAmount(quantity: number, unitPrice: number): number {
  const exact = quantity * unitPrice;
  const milli = Math.round(unitPrice * 1000);
  let cents: number;
  if (Number.isInteger(quantity) && Math.abs(unitPrice * 1000 - milli) < 1e-6 && Math.abs(exact) < 1e9) {
    // Prices have at most three decimals: count in tenths of a cent, exactly.
    cents = Math.floor((Math.abs(quantity * milli) + 5) / 10);
  } else {
    // 15 significant digits drop the noise of the multiplication before rounding.
    cents = Math.round(Number((Math.abs(exact) * 100).toPrecision(15)));
  }
  if (cents === 0) return 0;
  return exact < 0 ? -cents / 100 : cents / 100;
}

const STRING_FIELDS = ['eventId', 'customerId', 'invoiceNo', 'stockCode', 'description', 'country'] as const;
const NON_EMPTY_FIELDS = new Set<string>(['eventId', 'customerId', 'invoiceNo']);
const NUMBER_FIELDS = ['quantity', 'unitPrice', 'amount', 'timestamp'] as const;
const INTEGER_FIELDS = new Set<string>(['quantity', 'timestamp']);

/**
 * Checks that a value has the shape and field types of a {@link CustomerInteraction}
 * and lists what is wrong, one issue per field. Extra fields are allowed.
 *
 * @param value Any value, for example a parsed JSON message.
 * @return The issues found; empty when the value is a CustomerInteraction.
 */
export function customerInteractionIssues(value: unknown): StandardSchemaV1.Issue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ message: 'Expected a CustomerInteraction object' }];
  }
  const record = value as Record<string, unknown>;
  const issues: StandardSchemaV1.Issue[] = [];
  for (const field of STRING_FIELDS) {
    const v = record[field];
    if (typeof v !== 'string') {
      issues.push({ message: `Expected a string, got ${describe(v)}`, path: [field] });
    } else if (v === '' && NON_EMPTY_FIELDS.has(field)) {
      issues.push({ message: 'Expected a non-empty string', path: [field] });
    }
  }
  for (const field of NUMBER_FIELDS) {
    const v = record[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      issues.push({ message: `Expected a finite number, got ${describe(v)}`, path: [field] });
    } else if (INTEGER_FIELDS.has(field) && !Number.isInteger(v)) {
      issues.push({ message: `Expected an integer, got ${v}`, path: [field] });
    }
  }
  if (record.type !== 'purchase' && record.type !== 'cancellation') {
    issues.push({ message: `Expected 'purchase' or 'cancellation', got ${describe(record.type)}`, path: ['type'] });
  }
  return issues;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'number') return String(v);
  return typeof v;
}

/**
 * A Standard Schema v1 validator for {@link CustomerInteraction}, written by hand
 * so the examples need no schema library.
 *
 * Validation is synchronous; a valid value is returned as it is (not copied).
 *
 * ## Example
 *
 * ```ts
 * import { Serdes } from '@tributary/core';
 * import { customerInteractionSchema } from '@tributary/examples';
 *
 * // A message that is not a CustomerInteraction is a deserialization error.
 * const valueSerde = Serdes.json(customerInteractionSchema);
 * ```
 *
 * @see customerInteractionIssues for the rules.
 */
export const customerInteractionSchema: StandardSchemaV1<unknown, CustomerInteraction> = {
  '~standard': {
    version: 1,
    vendor: 'tributary',
    validate(value: unknown): StandardSchemaV1.Result<CustomerInteraction> {
      const issues = customerInteractionIssues(value);
      return issues.length === 0 ? { value: value as CustomerInteraction } : { issues };
    },
  },
};
