/** A user callback returned something of the wrong shape; the message shows what it returned. */
export class TypeError_ extends TypeError {
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
