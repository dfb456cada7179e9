/**
 * A user callback returned something of the wrong shape (`map` without a `[key, value]`
 * pair, `flatMap` without an iterable); the message shows what it returned. A `TypeError`.
 */
export class CallbackResultError extends TypeError {
  constructor(message: string, got: unknown) {
    let shown: string;
    try {
      shown = JSON.stringify(got) ?? String(got);
    } catch {
      shown = String(got);
    }
    super(`${message}, got ${shown.length > 200 ? `${shown.slice(0, 200)}...` : shown}`);
    this.name = 'TypeError';
  }
}
