import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CliError } from '../args';
import type { TopologyInputRecord } from './TopologyModule';

/** `--input topic=FILE`, parsed: which topic the file's records go to. */
export interface InputFile {
  readonly topic: string;
  readonly file: string;
}

/** Parses the `--input` options (`topic=FILE`, repeatable); a missing file or `=` is a usage error. */
export function parseInputFiles(values: readonly string[] | undefined): InputFile[] {
  return (values ?? []).map((value) => {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) throw new CliError(`--input must be topic=FILE (a JSON-lines file of {"key", "value", "timestamp"}), got '${value}'`, 2);
    const input = { topic: value.slice(0, at), file: value.slice(at + 1) };
    const stat = statSync(input.file, { throwIfNoEntry: false });
    if (!stat?.isFile()) throw new CliError(`--input ${input.topic}: no such file '${input.file}'`, 2);
    return input;
  });
}

/**
 * The records of a JSON-lines file, one `{"key": ..., "value": ..., "timestamp": ...}` object a
 * line (`timestamp`, epoch milliseconds, and `headers`, an object of strings, optional; blank
 * lines skipped), read lazily. A line that is not such an object stops the run with an error
 * naming the file and line: nothing is skipped without a word.
 */
export async function* readJsonLines(file: string): AsyncGenerator<TopologyInputRecord> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    const where = `${file}:${number}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new CliError(`${where}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    yield inputRecord(parsed, where);
  }
}

/** Checks one parsed line: an object with `key` and `value`, and a numeric `timestamp` if any. */
export function inputRecord(parsed: unknown, where: string): TopologyInputRecord {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError(`${where}: expected an object {"key", "value", "timestamp"?}`);
  const record = parsed as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !['key', 'value', 'timestamp', 'headers'].includes(k));
  if (unknown.length > 0) throw new CliError(`${where}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} (fields: key, value, timestamp, headers)`);
  if (!('value' in record)) throw new CliError(`${where}: no "value" (null is a tombstone, write it as "value": null)`);
  const { timestamp, headers } = record;
  if (timestamp !== undefined && (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0)) {
    throw new CliError(`${where}: "timestamp" must be epoch milliseconds, got ${JSON.stringify(timestamp)}`);
  }
  if (headers !== undefined && (typeof headers !== 'object' || headers === null || Object.values(headers).some((h) => typeof h !== 'string'))) {
    throw new CliError(`${where}: "headers" must be an object of strings`);
  }
  return {
    key: record.key ?? null,
    value: record.value,
    ...(timestamp !== undefined ? { timestamp: timestamp as number } : {}),
    ...(headers !== undefined ? { headers: headers as Record<string, string> } : {}),
  };
}
