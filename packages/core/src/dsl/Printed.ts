import { closeSync, openSync, writeSync } from 'node:fs';
import { TopologyError } from '../errors';
import type { PrintTarget } from '../operators/print';
import { checkFunction } from './validate';

/** Something with a `write(text)` method: `process.stdout`, a `fs.WriteStream`, a `PassThrough`... */
export interface WritableText {
  write(text: string): unknown;
}

/**
 * How `KStream.print()` prints (Kafka Streams' `Printed`): where to, with which label, and
 * how a record becomes text. Each record prints as a line `[label]: text`, where `text` is
 * `key, value` unless `withKeyValueMapper` says otherwise, and the label defaults to the
 * name of the node printed (e.g. `KSTREAM-MAPVALUES-0000000001`). `null` prints as `null`,
 * a windowed key as `[key@start/end]`, objects as JSON.
 *
 * ## Example
 * ```ts
 * import { Printed } from '@tributary/core';
 *
 * stream.print(Printed.toSysOut<string, number>().withLabel('totals'));
 * // [totals]: alice, 30
 * const lines: string[] = [];
 * stream.print(Printed.toFunction((line) => lines.push(line))); // for tests
 * ```
 */
export class Printed<K, V> {
  private constructor(
    /** @internal */ readonly sink: () => PrintTarget,
    /** @internal */ readonly label: string | undefined,
    /** @internal */ readonly mapper: ((key: K, value: V) => string) | undefined,
    /** @internal */ readonly name: string | undefined,
  ) {}

  /** Prints to the process's standard output. */
  static toSysOut<K, V>(): Printed<K, V> {
    return Printed.toWritable(process.stdout);
  }

  /**
   * Prints to the file at `path`, created or truncated when the first task starts printing
   * (appended to when the topology runs again), and closed when the last one closes.
   */
  static toFile<K, V>(path: string): Printed<K, V> {
    if (typeof path !== 'string' || path.trim() === '') throw new TopologyError("Printed.toFile: path can't be an empty string");
    let fd: number | undefined;
    let users = 0;
    let opened = false;
    const sink: PrintTarget = {
      write: (line) => {
        writeSync(fd!, `${line}\n`);
      },
      release: () => {
        if (--users === 0 && fd !== undefined) {
          closeSync(fd);
          fd = undefined;
        }
      },
    };
    return new Printed<K, V>(
      () => {
        if (users++ === 0) {
          fd = openSync(path, opened ? 'a' : 'w');
          opened = true;
        }
        return sink;
      },
      undefined,
      undefined,
      undefined,
    );
  }

  /** Prints to any writable text stream (`process.stderr`, a file stream, a `PassThrough` in a test). */
  static toWritable<K, V>(stream: WritableText): Printed<K, V> {
    if (!stream || typeof stream.write !== 'function') throw new TopologyError('Printed.toWritable takes a stream with a write(text) method');
    const sink: PrintTarget = { write: (line) => void stream.write(`${line}\n`), release: () => {} };
    return new Printed<K, V>(() => sink, undefined, undefined, undefined);
  }

  /** Hands each printed line (without the line break) to `sink`: for tests and custom loggers. */
  static toFunction<K, V>(sink: (line: string) => void): Printed<K, V> {
    checkFunction(sink, 'Printed.toFunction', 'sink');
    const printSink: PrintTarget = { write: (line) => sink(line), release: () => {} };
    return new Printed<K, V>(() => printSink, undefined, undefined, undefined);
  }

  /** Prints `[label]: ...` instead of the name of the node printed. */
  withLabel(label: string): Printed<K, V> {
    if (typeof label !== 'string') throw new TopologyError('Printed.withLabel: label must be a string');
    return new Printed(this.sink, label, this.mapper, this.name);
  }

  /**
   * Prints `mapper(key, value)` after the label instead of `key, value`. The mapper may narrow
   * the types (`Printed.toSysOut().withKeyValueMapper((key: string, order: Order) => ...)`).
   */
  withKeyValueMapper<KP extends K, VP extends V>(mapper: (key: KP, value: VP) => string): Printed<KP, VP> {
    checkFunction(mapper, 'Printed.withKeyValueMapper', 'mapper');
    return new Printed<KP, VP>(this.sink, this.label, mapper, this.name);
  }

  /** Names the printing node (otherwise `KSTREAM-PRINTER-<n>`). */
  withName(name: string): Printed<K, V> {
    return new Printed(this.sink, this.label, this.mapper, name);
  }
}
