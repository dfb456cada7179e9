import type { CommitTracker } from '@tributary/core/runtime';

/** Resolves `true` once the tracker has no record half-way (in an asynchronous stage), or `false` after `ms`. */
export async function idleWithin(tracker: CommitTracker, ms: number): Promise<boolean> {
  if (tracker.openRecords === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const idle = await Promise.race([tracker.whenIdle().then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return idle;
}
