const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Runs `close` on SIGTERM and SIGINT until the returned function removes the handlers.
 * Once closed, the signal is raised again if nothing else listens for it, so the process
 * ends as it would have without us (exit code 128 + signal number).
 */
export function installSignalHandlers(close: () => Promise<void>): () => void {
  const handlers = SIGNALS.map((signal) => {
    const handler = () => {
      remove();
      void close().finally(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    };
    process.once(signal, handler);
    return { signal, handler };
  });
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    for (const { signal, handler } of handlers) process.removeListener(signal, handler);
  };
  return remove;
}
