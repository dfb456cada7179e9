import { FRAUD_REASONS } from './fraudAlert';
import type { FraudReason } from './fraudAlert';
import type { FraudIncident } from './fraudIncident';
import { lineAmount } from './interaction';
import type { CustomerInteraction } from './interaction';
import { SeededRandom } from './prng';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Options of {@link generateSyntheticInteractions}. */
export interface SyntheticOptions {
  /** Seed of the pseudo-random generator; the same seed gives the same data. Defaults to `42`. */
  seed?: number;
  /** Number of customers. Defaults to `200`. */
  customers?: number;
  /** Event time of the start of the data (epoch ms). Defaults to 2011-01-01T00:00Z. */
  start?: number;
  /** Length of the data in event time (ms). Defaults to 30 days. */
  spanMs?: number;
  /** Mean number of normal invoices per customer over the span. Defaults to `20`. */
  invoicesPerCustomer?: number;
  /** Incidents injected per fraud pattern, each for a different customer. Defaults to `5`. */
  incidentsPerPattern?: number;
}

/** The events, time-ordered, and the ground truth of the injected fraud. */
export interface SyntheticInteractions {
  /** All interactions, sorted by timestamp. */
  events: CustomerInteraction[];
  /** The injected incidents, in order of start time. */
  incidents: FraudIncident[];
  /** The incident each injected event belongs to, by `eventId`; normal events are absent. */
  labels: Map<string, FraudIncident>;
}

/**
 * The bounds of normal and fraudulent behaviour in the synthetic data, so that a
 * detector's thresholds can be chosen with a margin and a test can state them.
 */
export const SYNTHETIC_PROFILE = {
  /** Two normal invoices of a customer are at least this far apart. */
  minInvoiceGapMs: HOUR,
  /** A normal invoice has 1 to this many lines (all with the invoice's timestamp). */
  maxLinesPerInvoice: 4,
  /** A normal line's amount, as a multiple of the customer's typical line amount. */
  normalAmountRange: [0.5, 2],
  /** Chance that a normal invoice is a one-line cancellation of an earlier purchase. */
  cancellationRate: 0.03,
  /** A customer has no normal activity this long before and after their incident. */
  quietMs: 6 * HOUR,
  /** Incidents start in this part of the span, so a customer has a history before. */
  incidentStartRange: [0.5, 0.95],
  velocity: { invoices: [10, 16], withinMs: [2 * MINUTE, 5 * MINUTE] },
  /** The target multiple of the typical amount, rounded up to whole items of the dearest product. */
  amountAnomaly: { timesTypicalAmount: [15, 40] },
  countryChange: { gapMs: [5 * MINUTE, 30 * MINUTE] },
  cancellationBurst: { cancellations: [5, 10], withinMs: [3 * MINUTE, 10 * MINUTE] },
} as const;

interface CatalogItem {
  stockCode: string;
  description: string;
  unitPrice: number;
}

/** Products taken from the Online Retail data, with their usual prices. */
const CATALOG: readonly CatalogItem[] = [
  { stockCode: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', unitPrice: 2.55 },
  { stockCode: '71053', description: 'WHITE METAL LANTERN', unitPrice: 3.39 },
  { stockCode: '84406B', description: 'CREAM CUPID HEARTS COAT HANGER', unitPrice: 2.75 },
  { stockCode: '84029G', description: 'KNITTED UNION FLAG HOT WATER BOTTLE', unitPrice: 3.39 },
  { stockCode: '47566', description: 'PARTY BUNTING', unitPrice: 4.95 },
  { stockCode: '85099B', description: 'JUMBO BAG RED RETROSPOT', unitPrice: 1.95 },
  { stockCode: '84879', description: 'ASSORTED COLOUR BIRD ORNAMENT', unitPrice: 1.69 },
  { stockCode: '22720', description: 'SET OF 3 CAKE TINS PANTRY DESIGN', unitPrice: 4.95 },
  { stockCode: '21212', description: 'PACK OF 72 RETROSPOT CAKE CASES', unitPrice: 0.55 },
  { stockCode: '22086', description: "PAPER CHAIN KIT 50'S CHRISTMAS", unitPrice: 2.95 },
  { stockCode: '23843', description: 'PAPER CRAFT , LITTLE BIRDIE', unitPrice: 2.08 },
  { stockCode: '22960', description: 'JAM MAKING SET WITH JARS', unitPrice: 4.25 },
  { stockCode: '79321', description: 'CHILLI LIGHTS', unitPrice: 4.95 },
  { stockCode: '22197', description: 'POPCORN HOLDER', unitPrice: 0.85 },
  { stockCode: '21232', description: 'STRAWBERRY CERAMIC TRINKET BOX', unitPrice: 1.25 },
  { stockCode: '22423', description: 'REGENCY CAKESTAND 3 TIER', unitPrice: 12.75 },
];
const CHEAPEST = CATALOG.reduce((a, b) => (b.unitPrice < a.unitPrice ? b : a));
const DEAREST = CATALOG.reduce((a, b) => (b.unitPrice > a.unitPrice ? b : a));

/** Home countries, weighted roughly as in the Online Retail data. */
const HOME_COUNTRIES: readonly string[] = [
  ...Array<string>(14).fill('United Kingdom'),
  'Germany',
  'Germany',
  'France',
  'France',
  'EIRE',
  'Spain',
  'Netherlands',
  'Belgium',
  'Switzerland',
  'Portugal',
  'Australia',
];
const ALL_COUNTRIES: readonly string[] = [...new Set([...HOME_COUNTRIES, 'USA', 'Japan', 'Singapore', 'Brazil'])];

interface Customer {
  id: string;
  country: string;
  /** The customer's usual amount per invoice line. */
  typicalAmount: number;
}

interface DraftLine {
  item: CatalogItem;
  /** Items, positive; negated for a cancellation. */
  count: number;
}

interface DraftInvoice {
  customer: Customer;
  timestamp: number;
  cancellation: boolean;
  country: string;
  lines: DraftLine[];
  /** Filled once the invoices are numbered. */
  eventIds: string[];
}

interface DraftIncident {
  customer: Customer;
  reason: FraudReason;
  invoices: DraftInvoice[];
}

/**
 * Generates CustomerInteraction events for a set of customers over a span of
 * event time, with four fraud patterns injected and labelled.
 *
 * Normal behaviour: each customer has a home country and a typical line amount;
 * their invoices (1 to 4 lines, at least an hour apart) are spread over the span
 * in their home country; now and then one is a cancellation of a line bought
 * earlier. Injected incidents, one per chosen customer, in the second half of the
 * span and with no other activity of that customer within 6 hours either side:
 *
 * - `velocity`: 10 to 16 one-line purchases within 2 to 5 minutes.
 * - `amount-anomaly`: one purchase line of at least 15 (up to about 43) times the
 *   typical amount; normal lines stay within 0.5 to 2 times it.
 * - `country-change`: a purchase at home, then one in another country 5 to 30
 *   minutes later.
 * - `cancellation-burst`: 5 to 10 one-line cancellations within 3 to 10 minutes.
 *
 * {@link SYNTHETIC_PROFILE} states these bounds. Matching rule for scoring (see
 * `precisionRecall`): an alert for customer C with reason R at time t detects the
 * incident of C and R with `start - tolerance <= t <= end + tolerance`.
 *
 * Deterministic: the same options give the same events, ids and labels. Customer
 * ids are `20000` upwards and invoice numbers `900000` upwards (`C900123` for a
 * cancellation), apart from the real data's; the event id is
 * `${invoiceNo}-${lineWithinInvoice}`.
 *
 * ## Example
 *
 * ```ts
 * import { generateSyntheticInteractions, precisionRecall } from '@tributary/examples';
 *
 * const { events, incidents } = generateSyntheticInteractions({ seed: 7, customers: 500 });
 * const alerts = await runFraudPipeline(events); // your detector
 * console.log(precisionRecall(alerts, incidents).overall);
 * ```
 *
 * @param options See {@link SyntheticOptions}.
 * @return The events in time order, the incidents and the per-event labels.
 * @throws RangeError if there are fewer customers than incidents to inject.
 */
export function generateSyntheticInteractions(options: SyntheticOptions = {}): SyntheticInteractions {
  const seed = options.seed ?? 42;
  const customerCount = options.customers ?? 200;
  const start = options.start ?? Date.UTC(2011, 0, 1);
  const spanMs = options.spanMs ?? 30 * DAY;
  const invoicesPerCustomer = options.invoicesPerCustomer ?? 20;
  const incidentsPerPattern = options.incidentsPerPattern ?? 5;
  const needed = incidentsPerPattern * FRAUD_REASONS.length;
  if (!Number.isInteger(customerCount) || customerCount < needed) {
    throw new RangeError(`${needed} incidents need at least ${needed} customers, got ${customerCount}`);
  }
  if (!(spanMs > 0)) throw new RangeError(`spanMs must be > 0, got ${spanMs}`);

  const rng = new SeededRandom(seed);
  const customers: Customer[] = Array.from({ length: customerCount }, (_, i) => ({
    id: String(20000 + i),
    country: rng.pick(HOME_COUNTRIES),
    typicalAmount: clamp(Math.exp(Math.log(20) + 0.6 * rng.normal()), 5, 150),
  }));
  const fraudReasonOf = new Map<Customer, FraudReason>();
  rng
    .shuffle(customers)
    .slice(0, needed)
    .forEach((customer, i) => fraudReasonOf.set(customer, FRAUD_REASONS[i % FRAUD_REASONS.length] as FraudReason));

  const invoices: DraftInvoice[] = [];
  const incidents: DraftIncident[] = [];
  for (const customer of customers) {
    const reason = fraudReasonOf.get(customer);
    let quiet: [number, number] | undefined;
    if (reason !== undefined) {
      const [from, to] = SYNTHETIC_PROFILE.incidentStartRange;
      const incident = injectIncident(rng, customer, reason, toSecond(start + spanMs * rng.between(from, to)));
      const first = (incident.invoices[0] as DraftInvoice).timestamp;
      const last = (incident.invoices[incident.invoices.length - 1] as DraftInvoice).timestamp;
      quiet = [first - SYNTHETIC_PROFILE.quietMs, last + SYNTHETIC_PROFILE.quietMs];
      incidents.push(incident);
      invoices.push(...incident.invoices);
    }
    invoices.push(...normalInvoices(rng, customer, start, spanMs, invoicesPerCustomer, quiet));
  }

  // Number the invoices in time order, as a shop would; ties keep generation order.
  invoices.sort((a, b) => a.timestamp - b.timestamp);
  const events: CustomerInteraction[] = [];
  invoices.forEach((invoice, i) => {
    const invoiceNo = `${invoice.cancellation ? 'C' : ''}${900000 + i}`;
    invoice.lines.forEach((line, j) => {
      const quantity = invoice.cancellation ? -line.count : line.count;
      const event: CustomerInteraction = {
        eventId: `${invoiceNo}-${j + 1}`,
        customerId: invoice.customer.id,
        invoiceNo,
        type: invoice.cancellation ? 'cancellation' : 'purchase',
        stockCode: line.item.stockCode,
        description: line.item.description,
        quantity,
        unitPrice: line.item.unitPrice,
        amount: lineAmount(quantity, line.item.unitPrice),
        country: invoice.country,
        timestamp: invoice.timestamp,
      };
      invoice.eventIds.push(event.eventId);
      events.push(event);
    });
  });

  const labelled = incidents.map(toIncident).sort((a, b) => a.start - b.start);
  const labels = new Map<string, FraudIncident>();
  for (const incident of labelled) for (const eventId of incident.eventIds) labels.set(eventId, incident);
  return { events, incidents: labelled, labels };
}

function injectIncident(rng: SeededRandom, customer: Customer, reason: FraudReason, t0: number): DraftIncident {
  const at = (timestamp: number, cancellation: boolean, lines: DraftLine[], country = customer.country) =>
    draftInvoice(customer, timestamp, cancellation, lines, country);
  let invoices: DraftInvoice[];
  switch (reason) {
    case 'velocity': {
      const { invoices: [min, max], withinMs: [shortest, longest] } = SYNTHETIC_PROFILE.velocity;
      invoices = burstTimes(rng, t0, rng.int(min, max), rng.between(shortest, longest)).map((t) =>
        at(t, false, [normalLine(rng, customer)]),
      );
      break;
    }
    case 'amount-anomaly': {
      const [min, max] = SYNTHETIC_PROFILE.amountAnomaly.timesTypicalAmount;
      const target = customer.typicalAmount * rng.between(min, max);
      invoices = [at(t0, false, [{ item: DEAREST, count: Math.ceil(target / DEAREST.unitPrice) }])];
      break;
    }
    case 'country-change': {
      const [shortest, longest] = SYNTHETIC_PROFILE.countryChange.gapMs;
      const abroad = rng.pick(ALL_COUNTRIES.filter((country) => country !== customer.country));
      invoices = [
        at(t0, false, [normalLine(rng, customer)]),
        at(toSecond(t0 + rng.between(shortest, longest)), false, [normalLine(rng, customer)], abroad),
      ];
      break;
    }
    case 'cancellation-burst': {
      const { cancellations: [min, max], withinMs: [shortest, longest] } = SYNTHETIC_PROFILE.cancellationBurst;
      invoices = burstTimes(rng, t0, rng.int(min, max), rng.between(shortest, longest)).map((t) =>
        at(t, true, [normalLine(rng, customer)]),
      );
      break;
    }
  }
  return { customer, reason, invoices };
}

/** `count` times from `t0` to `t0 + within`, both ends included, in order. */
function burstTimes(rng: SeededRandom, t0: number, count: number, within: number): number[] {
  const inner = Array.from({ length: count - 2 }, () => toSecond(t0 + within * rng.float()));
  return [t0, ...inner.sort((a, b) => a - b), toSecond(t0 + within)];
}

function normalInvoices(
  rng: SeededRandom,
  customer: Customer,
  start: number,
  spanMs: number,
  meanCount: number,
  quiet: [number, number] | undefined,
): DraftInvoice[] {
  const count = Math.max(2, Math.round(meanCount * rng.between(0.5, 1.5)));
  const times = Array.from({ length: count }, () => toSecond(start + spanMs * rng.float())).sort((a, b) => a - b);
  const invoices: DraftInvoice[] = [];
  const purchases: DraftInvoice[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  for (const timestamp of times) {
    if (timestamp - previous < SYNTHETIC_PROFILE.minInvoiceGapMs) continue;
    if (quiet !== undefined && timestamp >= quiet[0] && timestamp <= quiet[1]) continue;
    previous = timestamp;
    if (purchases.length > 0 && rng.chance(SYNTHETIC_PROFILE.cancellationRate)) {
      const cancelled = rng.pick(rng.pick(purchases).lines);
      invoices.push(draftInvoice(customer, timestamp, true, [{ ...cancelled }], customer.country));
    } else {
      const lines = Array.from({ length: rng.int(1, SYNTHETIC_PROFILE.maxLinesPerInvoice) }, () =>
        normalLine(rng, customer),
      );
      const invoice = draftInvoice(customer, timestamp, false, lines, customer.country);
      purchases.push(invoice);
      invoices.push(invoice);
    }
  }
  return invoices;
}

/**
 * A line near the customer's typical amount: 0.6 to 1.6 times it, of an item cheap
 * enough to be bought three or more at a time so that rounding the count moves the
 * amount by at most a sixth.
 */
function normalLine(rng: SeededRandom, customer: Customer): DraftLine {
  const target = customer.typicalAmount * clamp(Math.exp(0.3 * rng.normal()), 0.6, 1.6);
  const affordable = CATALOG.filter((item) => item.unitPrice * 3 <= target);
  const item = affordable.length > 0 ? rng.pick(affordable) : CHEAPEST;
  return { item, count: Math.max(1, Math.round(target / item.unitPrice)) };
}

function draftInvoice(
  customer: Customer,
  timestamp: number,
  cancellation: boolean,
  lines: DraftLine[],
  country: string,
): DraftInvoice {
  return { customer, timestamp, cancellation, country, lines, eventIds: [] };
}

function toIncident(draft: DraftIncident): FraudIncident {
  const start = (draft.invoices[0] as DraftInvoice).timestamp;
  return {
    id: `${draft.customer.id}/${draft.reason}/${start}`,
    customerId: draft.customer.id,
    reason: draft.reason,
    start,
    end: (draft.invoices[draft.invoices.length - 1] as DraftInvoice).timestamp,
    eventIds: draft.invoices.flatMap((invoice) => invoice.eventIds),
  };
}

function toSecond(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
