import type { RfmProfile } from './rfm';
import { recencyDays, tenureDays } from './rfm';

/** The customer segments, in the order their rules are tried. */
export const SEGMENTS = ['Champions', 'Loyal', 'New', 'Promising', 'At Risk', 'Lost'] as const;

/** One of {@link SEGMENTS}. */
export type Segment = (typeof SEGMENTS)[number];

/**
 * The thresholds of the segment rules. Recency and tenure are whole days of event time,
 * frequency distinct purchase invoices, monetary net spend in pounds.
 */
export interface SegmentRules {
  /** Champions: bought within this many days... Defaults to `30`. */
  championsMaxRecencyDays: number;
  /** ...at least this many invoices... Defaults to `10`. */
  championsMinFrequency: number;
  /** ...for at least this much. Defaults to `5000`. */
  championsMinMonetary: number;
  /** Loyal: bought within this many days... Defaults to `90`. */
  loyalMaxRecencyDays: number;
  /** ...at least this many invoices. Defaults to `4`. */
  loyalMinFrequency: number;
  /** New: first purchase at most this many days ago. Defaults to `30`. */
  newMaxTenureDays: number;
  /** Promising: bought within this many days (active, not yet loyal). Defaults to `90`. */
  promisingMaxRecencyDays: number;
  /** At Risk: bought within this many days, but longer ago than Promising allows. Past it: Lost. Defaults to `180`. */
  atRiskMaxRecencyDays: number;
}

/** The rules the README documents. */
export const DEFAULT_SEGMENT_RULES: Readonly<SegmentRules> = {
  championsMaxRecencyDays: 30,
  championsMinFrequency: 10,
  championsMinMonetary: 5000,
  loyalMaxRecencyDays: 90,
  loyalMinFrequency: 4,
  newMaxTenureDays: 30,
  promisingMaxRecencyDays: 90,
  atRiskMaxRecencyDays: 180,
};

/** The R, F and M a segment is decided on, at a given "now". */
export interface RfmValues {
  recencyDays: number;
  frequency: number;
  monetary: number;
  tenureDays: number;
}

/** The RFM values of a profile at `now` (event time); `null` when the customer never purchased. */
export function rfmValues(profile: RfmProfile, now: number): RfmValues | null {
  const recency = recencyDays(profile, now);
  const tenure = tenureDays(profile, now);
  if (recency === null || tenure === null) return null;
  return { recencyDays: recency, frequency: profile.frequency, monetary: profile.monetary, tenureDays: tenure };
}

/**
 * The segment of a customer; the first rule that matches wins:
 *
 * | segment | rule (R = recency days, F = invoices, M = net spend, T = tenure days) |
 * | --- | --- |
 * | Champions | R <= 30 and F >= 10 and M >= 5,000 |
 * | Loyal | R <= 90 and F >= 4 |
 * | New | T <= 30 (first purchase in the last 30 days) |
 * | Promising | R <= 90 |
 * | At Risk | R <= 180 |
 * | Lost | otherwise (no purchase for more than 180 days) |
 *
 * (With the default thresholds; see {@link SegmentRules}.)
 */
export function classifySegment(values: RfmValues, rules: SegmentRules = DEFAULT_SEGMENT_RULES): Segment {
  const { recencyDays: r, frequency: f, monetary: m, tenureDays: t } = values;
  if (r <= rules.championsMaxRecencyDays && f >= rules.championsMinFrequency && m >= rules.championsMinMonetary) return 'Champions';
  if (r <= rules.loyalMaxRecencyDays && f >= rules.loyalMinFrequency) return 'Loyal';
  if (t <= rules.newMaxTenureDays) return 'New';
  if (r <= rules.promisingMaxRecencyDays) return 'Promising';
  if (r <= rules.atRiskMaxRecencyDays) return 'At Risk';
  return 'Lost';
}

/** A value of the `customer_segments` topic: a customer moved into `segment`. */
export interface SegmentChange {
  customerId: string;
  segment: Segment;
  /** The segment before; `null` for the customer's first segment. */
  previousSegment: Segment | null;
  recencyDays: number;
  frequency: number;
  monetary: number;
  /** Event time at which the change was seen (stream time of the task). */
  timestamp: number;
}
