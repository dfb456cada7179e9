import type { CustomerInteraction } from '../data';
import { DAY_MS } from './topics';

/**
 * A customer's RFM profile, the value of the `rfm-profiles` table: what recency,
 * frequency and monetary value are computed from. Recency is not stored; it depends on
 * "now" and is computed by {@link recencyDays} from `lastPurchaseAt`.
 */
export interface RfmProfile {
  customerId: string;
  /** Frequency: distinct purchase invoices (cancellations are not purchases). */
  frequency: number;
  /** Monetary value: net spend in pounds, purchases minus cancellations, to the cent. */
  monetary: number;
  /** Net spend in pence, summed exactly; `monetary` is this / 100. */
  spendPence: number;
  purchaseLines: number;
  cancellationLines: number;
  /** Event time of the first and the latest purchase; `null` before the first purchase. */
  firstPurchaseAt: number | null;
  lastPurchaseAt: number | null;
  /** The purchase invoice numbers seen, for the distinct count. */
  invoiceNos: string[];
}

/** The profile of a customer nothing is known about yet: the aggregate's initializer. */
export function emptyRfmProfile(): RfmProfile {
  return {
    customerId: '',
    frequency: 0,
    monetary: 0,
    spendPence: 0,
    purchaseLines: 0,
    cancellationLines: 0,
    firstPurchaseAt: null,
    lastPurchaseAt: null,
    invoiceNos: [],
  };
}

/**
 * Folds one interaction into a profile (the aggregator of `rfm-profiles`). Returns a new
 * profile; the invoice list is copied only when a new invoice appears, so a line of an
 * invoice already counted costs no copy.
 *
 * - A purchase adds its amount, moves `lastPurchaseAt` forward (never back: a late
 *   record does not make a customer look older) and counts its invoice once.
 * - A cancellation subtracts its amount (its `amount` is negative) and counts a
 *   cancelled line; it is not a purchase, so it changes neither recency nor frequency.
 */
export function addToRfmProfile(customerId: string, interaction: CustomerInteraction, profile: RfmProfile): RfmProfile {
  const spendPence = profile.spendPence + Math.round(interaction.amount * 100);
  if (interaction.type === 'cancellation') {
    return { ...profile, customerId, spendPence, monetary: spendPence / 100, cancellationLines: profile.cancellationLines + 1 };
  }
  const newInvoice = !profile.invoiceNos.includes(interaction.invoiceNo);
  const invoiceNos = newInvoice ? [...profile.invoiceNos, interaction.invoiceNo] : profile.invoiceNos;
  const at = interaction.timestamp;
  return {
    customerId,
    frequency: invoiceNos.length,
    monetary: spendPence / 100,
    spendPence,
    purchaseLines: profile.purchaseLines + 1,
    cancellationLines: profile.cancellationLines,
    firstPurchaseAt: profile.firstPurchaseAt === null ? at : Math.min(profile.firstPurchaseAt, at),
    lastPurchaseAt: profile.lastPurchaseAt === null ? at : Math.max(profile.lastPurchaseAt, at),
    invoiceNos,
  };
}

/**
 * Recency: whole days from the last purchase to `now` (rounded down), `now` being the
 * stream time of the task, i.e. event time: replaying December 2011 data, "now" is in
 * December 2011, not today. `null` for a customer with no purchase.
 */
export function recencyDays(profile: RfmProfile, now: number): number | null {
  if (profile.lastPurchaseAt === null) return null;
  return Math.max(0, Math.floor((now - profile.lastPurchaseAt) / DAY_MS));
}

/** Whole days from the first purchase to `now`: how long the customer has been one. */
export function tenureDays(profile: RfmProfile, now: number): number | null {
  if (profile.firstPurchaseAt === null) return null;
  return Math.max(0, Math.floor((now - profile.firstPurchaseAt) / DAY_MS));
}
