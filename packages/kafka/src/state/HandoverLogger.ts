import type { StoreChangeLogger } from '@tributary/core';

/**
 * The changelog logger of a standby's store: silent while the standby only restores (a
 * standby never writes its changelog), and the active task's logger once the standby is
 * promoted and its stores are handed over, so they go on as the active task's own.
 */
export class HandoverLogger implements StoreChangeLogger {
  private target: StoreChangeLogger | undefined;

  log(key: unknown, value: unknown, timestamp: number): void {
    this.target?.log(key, value, timestamp);
  }

  /** From now on, writes go to `target` (the active task's changelog writer). */
  attach(target: StoreChangeLogger | undefined): void {
    this.target = target;
  }
}
