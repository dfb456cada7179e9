/**
 * When a windowed aggregation emits (Kafka Streams' `EmitStrategy`).
 *
 * - `onWindowUpdate()` (the default): a result on every record that changes a window.
 * - `onWindowClose()`: exactly one final result per window, on the first record that
 *   moves stream time past the window's end plus grace (for sessions, end + gap + grace).
 *   Windows are emitted in ascending window start (sessions: end), ties by key.
 *
 * CAUTION: with `onWindowClose()` nothing is emitted until stream time moves, and stream
 * time only moves with new records: the last windows of a quiet partition stay open.
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

  /** Emit one final result per window when it closes. */
  static onWindowClose(): EmitStrategy {
    return EmitStrategy.close;
  }
}
