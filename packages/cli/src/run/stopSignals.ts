/**
 * Calls `stop` once on the first SIGINT or SIGTERM, so a command can close its application
 * cleanly. The same signal again within `repeatMs` is taken as the same request (Ctrl-C on a
 * terminal reaches both the bin and the program it runs, which also passes it on); one after
 * that ends the process at once with 130, for a close that hangs. Returns the function that
 * removes the handlers.
 */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void, repeatMs = 1000): () => void {
  let firstAt: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (firstAt === undefined) {
      firstAt = now;
      stop(signal);
    } else if (now - firstAt > repeatMs) {
      process.stderr.write(`\n${signal} again: exiting without closing\n`);
      process.exit(130);
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
