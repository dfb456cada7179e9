import { TopologyError } from './errors';

/** Milliseconds, or a string such as `'500ms'`, `'30s'`, `'5m'`, `'1h'`, `'7d'`. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Turns a {@link Duration} into milliseconds; `what` names the argument in the error. */
export function toMillis(duration: Duration, what = 'duration'): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0) {
      throw new TopologyError(`${what} must be a non-negative number of milliseconds, got ${duration}`);
    }
    return duration;
  }
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(String(duration).trim());
  if (!match) {
    throw new TopologyError(`${what} '${String(duration)}' is not a duration: use milliseconds or a string like '30s', '5m', '1h'`);
  }
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}
