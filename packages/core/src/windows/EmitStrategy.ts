/**
 * When a windowed aggregation emits (Kafka Streams' `EmitStrategy`).
 *
 * - `onWindowUpdate()` (the default): a result on every record that changes a window.
 * - `onWindowClose()`: at most one final result per window, on the first record that
 *   moves stream time past the window's end plus grace (for sessions, end + gap + grace).
 *   Windows are emitted in ascending window start (sessions: end), ties by key.
 *
 * CAUTION: with `onWindowClose()` nothing is emitted until stream time moves, and stream
 * time only moves with new records: the last windows of a quiet partition stay open. As in
 * Kafka Streams, time and sliding windows are read back from the window store after the
 * closing record's update: a record that moves stream time far ahead (past the store's
 * retention, size + grace from the latest window start) skips the windows it closed out of
 * retention, and their final results never come. `suppress(untilWindowCloses)` emits every window.
 *
 * ## Example
 * ```ts
 * import { EmitStrategy, TimeWindows } from '@tributary/core';
 *
 * grouped.windowedBy(TimeWindows.ofSizeWithNoGrace('1m')).emitStrategy(EmitStrategy.onWindowClose()).count();
 * ```
 */
export class EmitStrategy {
  private constructor(readonly type: 'onWindowUpdate' | 'onWindowClose') {}

  private static readonly update = new EmitStrategy('onWindowUpdate');
  private static readonly close = new EmitStrategy('onWindowClose');

  /** Emit on every update of a window. The default. */
  static onWindowUpdate(): EmitStrategy {
    return EmitStrategy.update;
  }

  /** Emit one final result per window when it closes (if the store still retains it then). */
  static onWindowClose(): EmitStrategy {
    return EmitStrategy.close;
  }
}
