import { FRAUD_REASONS } from './fraudAlert';
import type { FraudAlert, FraudReason } from './fraudAlert';
import type { FraudIncident } from './fraudIncident';

/** How well alerts of one reason (or all reasons) found the labelled incidents. */
export interface DetectionScore {
  /** Incidents detected by at least one alert. */
  tp: number;
  /** Alert reasons that match no incident. */
  fp: number;
  /** Incidents no alert detected. */
  fn: number;
  /** Alert reasons that match an incident an earlier alert already detected; neither right nor wrong. */
  duplicates: number;
  /** `tp / (tp + fp)`; `1` when there is no alert (no false alarm was raised). */
  precision: number;
  /** `tp / (tp + fn)`; `1` when there is no incident (nothing was missed). */
  recall: number;
  /** Harmonic mean of precision and recall; `0` when both are `0`. */
  f1: number;
}

/** The scores per reason and over all reasons. */
export interface FraudReport {
  /** Sums of the per-reason counts (micro-average), and the rates from those sums. */
  overall: DetectionScore;
  byReason: Record<FraudReason, DetectionScore>;
}

/** Options of {@link precisionRecall}. */
export interface PrecisionRecallOptions {
  /**
   * How far outside an incident's `[start, end]` an alert may be and still detect
   * it, for detectors that stamp an alert with a window bound or a little later.
   * The synthetic data keeps 6 hours of quiet around each incident, so anything
   * below that is unambiguous. Defaults to `300000` (5 minutes).
   */
  toleranceMs?: number;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  duplicates: number;
}

/**
 * Scores fraud alerts against ground-truth incidents: true and false positives,
 * misses, precision and recall, per reason and overall.
 *
 * Matching rule: each reason of an alert is judged on its own. Reason R of an
 * alert for customer C at time t matches an incident of customer C and reason R
 * when `start - toleranceMs <= t <= end + toleranceMs`. The first alert to match
 * an incident detects it (a true positive); later matches of the same incident
 * are counted as duplicates, so a detector that fires on every record of a burst
 * is not rewarded or punished for it. A reason that matches no incident is a false
 * positive, including the right customer and time with the wrong reason. An
 * incident left undetected is a false negative.
 *
 * ## Example
 *
 * ```ts
 * import { generateSyntheticInteractions, precisionRecall } from '@tributary/examples';
 *
 * const { incidents } = generateSyntheticInteractions();
 * const alerts = [{ customerId: '20017', reasons: ['velocity'], timestamp: 1296040000000 }];
 * const { overall, byReason } = precisionRecall(alerts, incidents);
 * console.log(overall.precision, byReason.velocity.recall);
 * ```
 *
 * @param alerts The detector's alerts, in any order (they are judged in timestamp order).
 * @param incidents The labels; an incident seen twice (same `id`) counts once, so
 *   `labels.values()` of the generator works as well as `incidents`.
 * @param options See {@link PrecisionRecallOptions}.
 * @return The scores.
 */
export function precisionRecall(
  alerts: Iterable<FraudAlert>,
  incidents: Iterable<FraudIncident>,
  options: PrecisionRecallOptions = {},
): FraudReport {
  const tolerance = options.toleranceMs ?? 5 * 60_000;
  const counts = Object.fromEntries(
    FRAUD_REASONS.map((reason) => [reason, { tp: 0, fp: 0, fn: 0, duplicates: 0 }]),
  ) as Record<FraudReason, Counts>;

  // Incidents by customer and reason, each with whether it has been detected.
  const byKey = new Map<string, { incident: FraudIncident; detected: boolean }[]>();
  const seen = new Set<string>();
  for (const incident of incidents) {
    if (seen.has(incident.id)) continue;
    seen.add(incident.id);
    const key = `${incident.customerId}\u0000${incident.reason}`;
    const list = byKey.get(key) ?? [];
    list.push({ incident, detected: false });
    byKey.set(key, list);
  }

  const ordered = [...alerts].sort((a, b) => a.timestamp - b.timestamp);
  for (const alert of ordered) {
    for (const reason of new Set(alert.reasons)) {
      const candidates = (byKey.get(`${alert.customerId}\u0000${reason}`) ?? []).filter(
        ({ incident }) => alert.timestamp >= incident.start - tolerance && alert.timestamp <= incident.end + tolerance,
      );
      const count = counts[reason];
      const undetected = candidates.find((candidate) => !candidate.detected);
      if (undetected !== undefined) {
        undetected.detected = true;
        count.tp++;
      } else if (candidates.length > 0) {
        count.duplicates++;
      } else {
        count.fp++;
      }
    }
  }
  for (const list of byKey.values()) {
    for (const { incident, detected } of list) if (!detected) counts[incident.reason].fn++;
  }

  const total: Counts = { tp: 0, fp: 0, fn: 0, duplicates: 0 };
  for (const reason of FRAUD_REASONS) {
    total.tp += counts[reason].tp;
    total.fp += counts[reason].fp;
    total.fn += counts[reason].fn;
    total.duplicates += counts[reason].duplicates;
  }
  const byReason = Object.fromEntries(FRAUD_REASONS.map((reason) => [reason, score(counts[reason])])) as Record<
    FraudReason,
    DetectionScore
  >;
  return { overall: score(total), byReason };
}

function score({ tp, fp, fn, duplicates }: Counts): DetectionScore {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, duplicates, precision, recall, f1 };
}
