import { parseArgs, type ParseArgsConfig } from 'node:util';
import { toMillis, type Duration } from '@tributary/core';

/** An error meant for the user: printed as it is, without a stack trace, and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseCommand} returns: typed option values and the positional arguments. */
export type ParsedCommand<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: typeof HELP_OPTION & T; allowPositionals: true; strict: true }>>;

/** `--help` on every command, and the usage in every error about arguments. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies Options;

/**
 * Parses a command's arguments with `node:util` `parseArgs`, strictly: an unknown option
 * or a missing value is a {@link CliError} that repeats the command's usage.
 */
export function parseCommand<T extends Options>(args: readonly string[], options: T, usage: string): ParsedCommand<T> {
  try {
    return parseArgs({ args: [...args], options: { ...HELP_OPTION, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`, 2);
  }
}

/** `--brokers a:9092,b:9092` (or repeated): each must be host:port. */
export function parseBrokers(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const brokers = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) throw new CliError('--brokers needs at least one host:port', 2);
  for (const broker of brokers) {
    const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(broker);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw new CliError(`--brokers: '${broker}' is not host:port (for example 127.0.0.1:9092)`, 2);
    }
  }
  return brokers;
}

/** A positive integer option, e.g. `--limit 20000`. */
export function parsePositiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${option} must be a positive integer, got '${value}'`, 2);
  return n;
}

/** A duration option: milliseconds or `'5s'`, `'2m'`. */
export function parseDurationOption(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    const ms = toMillis((/^\d+(\.\d+)?$/.test(value) ? Number(value) : value) as Duration, option);
    if (ms <= 0) throw new Error('must be positive');
    return ms;
  } catch {
    throw new CliError(`${option} must be a duration such as 5s, 500ms or 2m, got '${value}'`, 2);
  }
}

/** The one positional argument of a command (a module, say); none or more than one is a usage error. */
export function singlePositional(positionals: readonly string[], what: string, usage: string): string {
  const [value, extra] = positionals;
  if (value === undefined) throw new CliError(`which ${what}?\n\n${usage}`, 2);
  if (extra !== undefined) throw new CliError(`unexpected argument '${extra}'\n\n${usage}`, 2);
  return value;
}

/** No positional argument at all. */
export function noPositionals(positionals: readonly string[], usage: string): void {
  if (positionals.length > 0) throw new CliError(`unexpected argument '${positionals[0]}'\n\n${usage}`, 2);
}
