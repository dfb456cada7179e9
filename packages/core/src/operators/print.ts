import type { OperatorFactory } from '../graph/GraphNode';
import { recordOperator } from './operatorInternals';

/** Where printed lines go, per task: what `Printed` hands each task that prints. */
export interface PrintTarget {
  write(line: string): void;
  release(): void;
}

/**
 * The node behind `KStream.print()` (Kafka Streams' `KStreamPrint`): writes each record as
 * the line `[label]: key, value` (or `[label]: mapper(key, value)`) and forwards nothing.
 * A terminal, record-by-record operation. The target is opened when the task starts and
 * released when it closes.
 */
export function printRecords(open: () => PrintTarget, label: string, mapper: ((key: unknown, value: unknown) => unknown) | undefined): OperatorFactory {
  return recordOperator(() => {
    const target = open();
    return {
      next: (record) => target.write(`[${label}]: ${mapper ? printable(mapper(record.key, record.value)) : `${printable(record.key)}, ${printable(record.value)}`}`),
      close: () => target.release(),
    };
  });
}

/** A key or value as Kafka Streams' `%s` prints it: `null`, strings as they are, windowed keys as `[key@start/end]`. */
export function printable(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  const windowed = value as { key?: unknown; window?: { start?: unknown; end?: unknown } };
  if ('key' in windowed && typeof windowed.window?.start === 'number' && typeof windowed.window.end === 'number' && Object.keys(value).length === 2) {
    return `[${printable(windowed.key)}@${windowed.window.start}/${windowed.window.end}]`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
