// The workload of `pnpm bench:compare`, shared by the harness and every engine written in
// TypeScript; tools/kafka-streams-bench/src/main/java/KafkaStreamsBench.java has its Java twin
// (the records `Interaction`, `Slim`, `Customer`, `Enriched` and the same `keep`/`slim`).

/** A customer interaction: the input value, about 206 bytes of JSON. */
export interface Interaction {
  eventId: string;
  customerId: string;
  type: 'view' | 'click' | 'cart' | 'purchase' | 'bounce';
  productId: string;
  amount: number;
  currency: string;
  channel: string;
  locale: string;
  sessionId: string;
  timestamp: number;
}

/** A customer profile: the table side of the stream-table join. */
export interface Customer {
  customerId: string;
  name: string;
  segment: string;
  country: string;
}

/** Distinct customers: the keys of the input, of the windows and of the table. */
export const CUSTOMERS = 10_000;

const TYPES: Interaction['type'][] = ['view', 'view', 'view', 'click', 'click', 'cart', 'purchase', 'view', 'click', 'bounce'];
const CHANNELS = ['web', 'mobile', 'store', 'email'];
const SEGMENTS = ['champions', 'loyal', 'promising', 'at-risk', 'hibernating'];

/** The `i`th interaction of a run whose event times start at `baseTime`, `stepMs` apart. */
export function interaction(i: number, baseTime: number, stepMs: number): Interaction {
  return {
    eventId: `evt-${i.toString(36).padStart(8, '0')}`,
    customerId: `cust-${(i * 7919) % CUSTOMERS}`,
    type: TYPES[i % TYPES.length]!,
    productId: `sku-${(i * 31) % 5_000}`,
    amount: Math.round(((i * 17) % 50_000) / 100) + 0.99,
    currency: 'EUR',
    channel: CHANNELS[i % CHANNELS.length]!,
    locale: 'en-GB',
    sessionId: `sess-${Math.floor(i / 7).toString(36)}`,
    timestamp: baseTime + Math.floor(i * stepMs),
  };
}

/** The profile of customer number `n`. */
export function customer(n: number): Customer {
  return { customerId: `cust-${n}`, name: `Customer ${n}`, segment: SEGMENTS[n % SEGMENTS.length]!, country: n % 3 === 0 ? 'DE' : 'GB' };
}

/** The stateless variant's filter: every interaction but bounces (90% of the input). */
export const keep = (i: Interaction): boolean => i.type !== 'bounce';

/** The stateless variant's mapping: a smaller record. */
export const slim = (i: Interaction) => ({ customerId: i.customerId, type: i.type, cents: Math.round(i.amount * 100), channel: i.channel, at: i.timestamp });

/** The join's output: the interaction, slimmed, with its customer's segment (null when none). */
export const enrich = (i: Interaction, c: Customer | null) => ({ customerId: i.customerId, type: i.type, cents: Math.round(i.amount * 100), segment: c?.segment ?? null });

/** The interactions of `0..records-1` the stateless variant keeps. */
export function keptCount(records: number): number {
  let kept = 0;
  for (let i = 0; i < records; i++) if (TYPES[i % TYPES.length] !== 'bounce') kept++;
  return kept;
}
