import { TopologyError } from '../errors';
import { toMillis, type Duration } from '../duration';

/** A duration argument of a window class, in whole milliseconds; `what` names it in the error. */
export function windowMillis(duration: Duration, what: string): number {
  if (duration === null || duration === undefined) throw new TopologyError(`${what} is required: milliseconds or a string like '5m'`);
  const ms = toMillis(duration, what);
  if (!Number.isSafeInteger(ms)) throw new TopologyError(`${what} must be a whole number of milliseconds, got ${ms}`);
  return ms;
}
