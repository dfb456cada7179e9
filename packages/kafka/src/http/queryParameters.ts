import { HttpError } from './HttpError';

/** How a key is written in a path: as the string itself (the default), or as JSON (`?keyFormat=json`) for numbers, objects and the like. */
export type KeyFormat = 'string' | 'json';

/** Entries a range or `all` query returns at most when it names no limit. */
export const DEFAULT_LIMIT = 1_000;
/** The highest `limit` a query may ask for. */
export const MAX_LIMIT = 10_000;

export function keyFormat(url: URL): KeyFormat {
  const format = url.searchParams.get('keyFormat') ?? 'string';
  if (format !== 'string' && format !== 'json') throw new HttpError(400, 'BAD_REQUEST', `keyFormat must be 'string' or 'json', got '${format}'`);
  return format;
}

/** A key from its path or query form: the text itself, or parsed as JSON with `keyFormat=json`. */
export function parseKey(text: string, format: KeyFormat, what = 'key'): unknown {
  if (format === 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, 'BAD_KEY', `the ${what} '${text}' is not JSON (keyFormat=json): ${(error as Error).message}`);
  }
}

/** A time parameter: milliseconds since the epoch, or an ISO 8601 date-time. */
export function parseTime(url: URL, name: string, fallback: number): number {
  const text = url.searchParams.get(name);
  if (text === null || text === '') return fallback;
  if (/^-?\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new HttpError(400, 'BAD_REQUEST', `${name} must be milliseconds since the epoch or an ISO 8601 date-time, got '${text}'`);
  return ms;
}

/** `limit`: a whole number from 1 to {@link MAX_LIMIT}; defaults to {@link DEFAULT_LIMIT}. */
export function parseLimit(url: URL): number {
  const text = url.searchParams.get('limit');
  if (text === null || text === '') return DEFAULT_LIMIT;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new HttpError(400, 'BAD_REQUEST', `limit must be a whole number from 1 to ${MAX_LIMIT}, got '${text}'`);
  return limit;
}

/** A required parameter. */
export function required(url: URL, name: string, hint: string): string {
  const value = url.searchParams.get(name);
  if (value === null) throw new HttpError(400, 'BAD_REQUEST', `the query parameter '${name}' is required: ${hint}`);
  return value;
}
