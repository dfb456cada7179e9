/** Where Tributary writes what it does; plug in pino, winston or the console. */
export interface Logger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** A logger that writes to stderr at `level` and above. */
export function consoleLogger(level: Level = 'warn'): Logger {
  const at = (mine: Exclude<Level, 'silent'>) => (message: string, extra?: Record<string, unknown>) => {
    if (order[mine] < order[level]) return;
    const line = `[tributary] ${mine.toUpperCase()} ${message}`;
    if (extra && Object.keys(extra).length > 0) console.error(line, extra);
    else console.error(line);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that says nothing, for tests. */
export const silentLogger: Logger = consoleLogger('silent');
