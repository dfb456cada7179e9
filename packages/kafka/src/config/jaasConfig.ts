/** The one login module of a Kafka client's `sasl.jaas.config`. */
export interface JaasLogin {
  /** The login module's class, e.g. `org.apache.kafka.common.security.scram.ScramLoginModule`. */
  readonly module: string;
  /** `required`, `requisite`, `sufficient` or `optional`. */
  readonly flag: string;
  /** The module's options in order, e.g. `username` and `password`. */
  readonly options: ReadonlyMap<string, string>;
}

const FLAGS = ['required', 'requisite', 'sufficient', 'optional'];

/**
 * Reads `sasl.jaas.config` as Kafka's `JaasConfig` does (with Java's `StreamTokenizer`):
 * `<LoginModule class> <flag> name=value ... ;`, values bare or quoted with `"` or `'`,
 * backslash escapes in quotes (`\"`, `\\`, `\n`, octal), `//` and `/* *\/` comments, and
 * exactly one login module (a client has one). The value holds a password: a syntax error
 * says what is wrong and never quotes the text.
 */
export function parseJaasConfig(text: string): JaasLogin {
  const tokens = tokenize(text);
  let next = 0;
  const take = () => tokens[next++];
  const module = take();
  const flag = take();
  if (module?.kind !== 'word' || flag?.kind !== 'word') throw new Error('expected a login module class and a control flag, e.g. `org.apache.kafka.common.security.plain.PlainLoginModule required`');
  if (!FLAGS.includes(flag.text.toLowerCase())) throw new Error(`the control flag after the login module must be one of ${FLAGS.join(', ')}`);
  const options = new Map<string, string>();
  for (;;) {
    const token = take();
    if (token === undefined) throw new Error("it must end with ';'");
    if (token.kind === ';') break;
    const equals = take();
    const value = take();
    if (token.kind !== 'word' || equals?.kind !== '=' || (value?.kind !== 'word' && value?.kind !== 'quoted')) {
      throw new Error('expected name=value options after the control flag, e.g. username="alice" password="..."');
    }
    options.set(token.text, value.text);
  }
  if (next < tokens.length) throw new Error('it holds more than one login module; a client takes exactly one');
  return { module: module.text, flag: flag.text.toLowerCase(), options };
}

interface Token {
  readonly kind: 'word' | 'quoted' | '=' | ';';
  readonly text: string;
}

const SINGLE_ESCAPES: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (text.startsWith('//', i)) i = lineEnd(text, i);
    else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Error('a /* comment is not closed');
      i = end + 2;
    } else if (c === '=' || c === ';') {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (c === '"' || c === "'") {
      const { value, end } = quoted(text, i + 1, c);
      tokens.push({ kind: 'quoted', text: value });
      i = end;
    } else {
      let end = i;
      while (end < text.length && !/[\s=;"']/.test(text[end]!) && !text.startsWith('//', end) && !text.startsWith('/*', end)) end++;
      tokens.push({ kind: 'word', text: text.slice(i, end) });
      i = end;
    }
  }
  return tokens;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end + 1;
}

/** A quoted value from `start` (after the opening quote) to its closing `quote`, escapes as in `StreamTokenizer`. */
function quoted(text: string, start: number, quote: string): { value: string; end: number } {
  let value = '';
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break;
    const octal = /^[0-3][0-7]{0,2}|^[4-7][0-7]?/.exec(text.slice(i + 1, i + 4));
    if (octal) {
      value += String.fromCharCode(parseInt(octal[0], 8));
      i += 1 + octal[0].length;
    } else {
      value += SINGLE_ESCAPES[next] ?? next;
      i += 2;
    }
  }
  throw new Error('a quoted value is not closed');
}
