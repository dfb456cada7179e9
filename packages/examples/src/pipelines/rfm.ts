import type { Serde } from '@tributary/core';
import type { CustomerInteraction } from '../data';
import { numberField, readNumberField, TAB, textSerde } from './textSerde';
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
  };
}

/**
 * Folds one interaction into a profile. Returns a new profile.
 *
 * - A purchase adds its amount, moves `lastPurchaseAt` forward (never back: a late
 *   record does not make a customer look older) and counts its invoice once: `newInvoice`
 *   says whether it is the first line of its invoice (the caller knows which invoices were
 *   counted: {@link RfmProfiler} keeps them in `customer-invoices`).
 * - A cancellation subtracts its amount (its `amount` is negative) and counts a
 *   cancelled line; it is not a purchase, so it changes neither recency nor frequency.
 */
export function addToRfmProfile(customerId: string, interaction: CustomerInteraction, profile: RfmProfile, newInvoice: boolean): RfmProfile {
  const spendPence = profile.spendPence + Math.round(interaction.amount * 100);
  if (interaction.type === 'cancellation') {
    return { ...profile, customerId, spendPence, monetary: spendPence / 100, cancellationLines: profile.cancellationLines + 1 };
  }
  const at = interaction.timestamp;
  return {
    customerId,
    frequency: profile.frequency + (newInvoice ? 1 : 0),
    monetary: spendPence / 100,
    spendPence,
    purchaseLines: profile.purchaseLines + 1,
    cancellationLines: profile.cancellationLines,
    firstPurchaseAt: profile.firstPurchaseAt === null ? at : Math.min(profile.firstPurchaseAt, at),
    lastPurchaseAt: profile.lastPurchaseAt === null ? at : Math.max(profile.lastPurchaseAt, at),
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

/**
 * The `rfm-profiles` changelog's value, one line of text:
 * `customerId \t frequency \t spendPence \t purchaseLines \t cancellationLines \t firstPurchaseAt \t lastPurchaseAt`
 * (`monetary` is `spendPence / 100`; an empty field is `null`).
 */
export const rfmProfileSerde: Serde<RfmProfile> = textSerde(
  'rfm-profile',
  (p) => [p.customerId, p.frequency, p.spendPence, p.purchaseLines, p.cancellationLines, numberField(p.firstPurchaseAt), numberField(p.lastPurchaseAt)].join(TAB),
  (text) => {
    const f = text.split(TAB);
    const spendPence = Number(f[2]);
    return {
      customerId: f[0]!,
      frequency: Number(f[1]),
      monetary: spendPence / 100,
      spendPence,
      purchaseLines: Number(f[3]),
      cancellationLines: Number(f[4]),
      firstPurchaseAt: readNumberField(f[5]),
      lastPurchaseAt: readNumberField(f[6]),
    };
  },
);
