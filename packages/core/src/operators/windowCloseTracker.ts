import type { ProcessorNodeContext } from '../runtime/ProcessorNodeContext';
import type { KeyValueStore } from '../state/KeyValueStore';
import type { StoreSpec } from '../state/StateStore';
import { keyValueStoreSpec } from '../state/Stores';

/**
 * The close time up to which an `onWindowClose` aggregation has emitted its final results
 * (Kafka Streams' `lastEmitWindowCloseTime`). It decides which closed windows the next
 * record reads back, so it must survive a restart: Kafka Streams commits it with the
 * offsets; Tributary keeps it in a small logged store (see {@link windowCloseTrackerSpec}),
 * restored like any store, under the window store's name. Read once, at the first record
 * after the task started (its stores are restored by then).
 */
export interface WindowCloseTracker {
  /** The last close time whose windows were emitted, or `undefined` before the first emission. */
  lastEmitted(): number | undefined;
  /** Records that the windows closed by `closeTime` were emitted; `timestamp` is the changelog record's. */
  emitted(closeTime: number, timestamp: number): void;
}

/** The tracker of the aggregation whose window store is `windowStoreName`; in memory only without `trackerStoreName`. */
export function windowCloseTracker(context: ProcessorNodeContext, trackerStoreName: string | undefined, windowStoreName: string): WindowCloseTracker {
  const store = trackerStoreName === undefined ? undefined : context.getStateStore<KeyValueStore<string, number>>(trackerStoreName);
  let loaded = store === undefined;
  let last: number | undefined;
  return {
    lastEmitted() {
      if (!loaded) {
        last = store!.get(windowStoreName) ?? undefined;
        loaded = true;
      }
      return last;
    },
    emitted(closeTime, timestamp) {
      last = closeTime;
      loaded = true;
      store?.put(windowStoreName, closeTime, timestamp);
    },
  };
}

/** The name of the tracker store of a window store: `<windowStoreName>-emit-close-time`. */
export const windowCloseTrackerName = (windowStoreName: string) => `${windowStoreName}-emit-close-time`;

/**
 * The tracker store of an `onWindowClose` aggregation: a key-value store (window store name ->
 * last emitted close time), logged to `<applicationId>-<windowStoreName>-emit-close-time-changelog`
 * when the window store is logged, and hidden from `describe()` (Kafka Streams has no such store).
 */
export function windowCloseTrackerSpec(windowStoreName: string, logging: boolean): StoreSpec {
  return { ...keyValueStoreSpec(windowCloseTrackerName(windowStoreName), { logging }), hidden: true };
}
