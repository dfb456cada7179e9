/**
 * The data of the state benchmarks: CRM customer profiles, one per customer key
 * (`customer-<n>`), about 90 bytes as JSON.
 */
export interface Profile {
  readonly orders: number;
  readonly spentCents: number;
  readonly lastOrderAt: number;
  readonly tier: string;
}

const TIERS = ['bronze', 'silver', 'gold', 'platinum'];
export const BASE_TIME = Date.UTC(2025, 0, 1);

export const customer = (n: number): string => `customer-${n}`;

export const profile = (n: number): Profile => ({ orders: n % 97, spentCents: (n * 7_919) % 1_000_000, lastOrderAt: BASE_TIME + n * 1_000, tier: TIERS[n & 3]! });

/** The n-th of `count` keys in a scattered order: a permutation of 0..count-1 (a prime stride, for any count it does not divide). */
export const scattered = (n: number, count: number): number => (n * 7_368_787) % count;
