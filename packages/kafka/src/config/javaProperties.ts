import { StreamsError } from '@tributary/core';

/** One `key=value` of a `.properties` file, unescaped, with the line it starts on. */
export interface PropertyLine {
  readonly key: string;
  readonly value: string;
  /** 1-based: the first line of a value continued over several. */
  readonly line: number;
}

/** Java's whitespace in properties files: space, tab and form feed. */
const BLANK = new Set([' ', '\t', '\f']);

/**
 * Reads the text of a Java `.properties` file as `java.util.Properties.load` does, the format
 * of Kafka's `--command-config` files: `key=value`, `key: value` or `key value`; blank lines
 * and lines starting with `#` or `!` skipped; a line ending in an odd number of backslashes
 * continues on the next (whose leading blanks are dropped); `\t`, `\n`, `\r`, `\f` and
 * `\uXXXX` escapes, and a backslash before any other character stands for that character.
 * Values are not trimmed (Kafka trims them). Errors name `source` and the line, never its text.
 */
export function parseJavaProperties(text: string, source: string): PropertyLine[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const properties: PropertyLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let logical = withoutLeadingBlanks(lines[i]!);
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    while (continues(logical)) {
      logical = logical.slice(0, -1);
      if (i + 1 === lines.length) break;
      logical += withoutLeadingBlanks(lines[++i]!);
    }
    const { key, value } = splitKeyValue(logical);
    properties.push({ key: unescape(key, source, line), value: unescape(value, source, line), line });
  }
  return properties;
}

function withoutLeadingBlanks(line: string): string {
  let start = 0;
  while (start < line.length && BLANK.has(line[start]!)) start++;
  return line.slice(start);
}

/** An odd number of trailing backslashes: the last one joins the next line (`\\` is a backslash). */
function continues(line: string): boolean {
  let backslashes = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** The key ends at the first unescaped `=`, `:` or blank; one `=` or `:` and the blanks around it separate. */
function splitKeyValue(logical: string): { key: string; value: string } {
  let end = 0;
  while (end < logical.length) {
    const c = logical[end]!;
    if (c === '\\') end += 2;
    else if (c === '=' || c === ':' || BLANK.has(c)) break;
    else end++;
  }
  end = Math.min(end, logical.length);
  let start = end;
  while (start < logical.length && BLANK.has(logical[start]!)) start++;
  if (logical[start] === '=' || logical[start] === ':') {
    start++;
    while (start < logical.length && BLANK.has(logical[start]!)) start++;
  }
  return { key: logical.slice(0, end), value: logical.slice(start) };
}

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(raw: string, source: string, line: number): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = raw[++i];
    if (next === undefined) break; // a backslash ending the file
    if (next === 'u') {
      const hex = raw.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new StreamsError(`${source}:${line}: malformed \\uXXXX escape (four hexadecimal digits must follow \\u)`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += ESCAPES[next] ?? next;
    }
  }
  return out;
}
