/**
 * One record of a CSV file: its fields, the line it starts on and its text.
 */
export interface CsvRecord {
  /** The unquoted field values, in column order. A blank line has no fields. */
  readonly fields: string[];
  /** The 1-based line of the input on which the record starts. */
  readonly line: number;
  /** The record as written in the input, without its line break. */
  readonly text: string;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * A streaming RFC 4180 CSV parser: push text in chunks of any size, take the
 * complete records out.
 *
 * It reads what RFC 4180 describes: fields separated by commas, records ended by
 * CRLF or LF, a field in double quotes may hold commas, line breaks and doubled
 * quotes (`""` is one `"`). A record may be split across chunks anywhere, even
 * between the `\r` and the `\n` or between the two quotes of a doubled quote:
 * the unfinished tail waits for the next chunk.
 *
 * It is lenient where the RFC is strict, so that bad input yields a record the
 * caller can reject rather than an exception: a quote inside an unquoted field
 * is kept as a character, text after a closing quote is appended to the field,
 * and a quoted field still open at the end of the input ends there. A blank line
 * is a record with no fields; the line break at the end of the input makes no
 * extra record.
 *
 * ## Example
 *
 * ```ts
 * import { CsvParser } from '@tributary/examples';
 *
 * const parser = new CsvParser();
 * const records = [...parser.push('a,"b, c"\r\n1,"say ""hi"'), ...parser.push('"\n')];
 * records.map((r) => r.fields); // [['a', 'b, c'], ['1', 'say "hi"']]
 * ```
 *
 * @see parseCsvLine for a single line.
 */
export class CsvParser {
  /** Text received but not yet parsed: the start of an unfinished record. */
  private pending = '';
  /** The line on which the pending text starts. */
  private line = 1;
  // Results of parseRecord, kept in fields to spare an object per record.
  private recordEnd = 0;
  private nextStart = 0;
  private linesInRecord = 1;
  /** Where the next `"` is in the text being parsed (-1: not looked for yet). */
  private nextQuote = -1;

  /**
   * Adds a chunk of text and returns the records it completes, in input order.
   *
   * @param chunk The next piece of the input.
   * @return The records that are now complete; often empty for a small chunk.
   */
  push(chunk: string): CsvRecord[] {
    return this.parse(this.pending + chunk, false);
  }

  /**
   * Ends the input and returns the last record, if the input did not end with a
   * line break. The parser is then empty and can read a new input.
   *
   * @return The remaining record, or none.
   */
  end(): CsvRecord[] {
    const records = this.parse(this.pending, true);
    this.line = 1;
    return records;
  }

  private parse(text: string, final: boolean): CsvRecord[] {
    const records: CsvRecord[] = [];
    let start = 0;
    this.nextQuote = -1;
    while (start < text.length) {
      const fields = this.parseRecord(text, start, final);
      if (fields === undefined) break;
      records.push({ fields, line: this.line, text: text.slice(start, this.recordEnd) });
      this.line += this.linesInRecord;
      start = this.nextStart;
    }
    this.pending = start === 0 ? text : text.slice(start);
    return records;
  }

  /**
   * Parses the record that starts at `start`, or returns undefined when the text
   * ends before the record does (and more may come).
   */
  private parseRecord(text: string, start: number, final: boolean): string[] | undefined {
    // Fast path: a complete line without quotes is split natively.
    if (this.nextQuote < start) {
      const quote = text.indexOf('"', start);
      this.nextQuote = quote === -1 ? Number.POSITIVE_INFINITY : quote;
    }
    const lineFeed = text.indexOf('\n', start);
    if (lineFeed !== -1 && lineFeed < this.nextQuote) {
      const end = lineFeed > start && text.charCodeAt(lineFeed - 1) === CR ? lineFeed - 1 : lineFeed;
      this.recordEnd = end;
      this.nextStart = lineFeed + 1;
      this.linesInRecord = 1;
      return end === start ? [] : text.slice(start, end).split(',');
    }

    const length = text.length;
    const fields: string[] = [];
    let lines = 1;
    let i = start;
    for (;;) {
      let value: string;
      if (i < length && text.charCodeAt(i) === QUOTE) {
        // A quoted field: copy segments between quotes, `""` stands for one quote.
        value = '';
        let segment = ++i;
        for (;;) {
          const quote = text.indexOf('"', i);
          if (quote === -1) {
            if (!final) return undefined;
            value += text.slice(segment);
            i = length;
            break;
          }
          if (quote + 1 === length && !final) return undefined; // `"` or `""`? wait for more
          if (text.charCodeAt(quote + 1) === QUOTE) {
            value += text.slice(segment, quote + 1);
            i = segment = quote + 2;
            continue;
          }
          value += text.slice(segment, quote);
          i = quote + 1;
          break;
        }
        for (let at = value.indexOf('\n'); at !== -1; at = value.indexOf('\n', at + 1)) lines++;
        // Lenient: anything between the closing quote and the delimiter belongs to the field.
        const rest = i;
        while (i < length) {
          const c = text.charCodeAt(i);
          if (c === COMMA || c === LF) break;
          i++;
        }
        let restEnd = i;
        if (restEnd > rest && text.charCodeAt(restEnd - 1) === CR && (i < length ? text.charCodeAt(i) === LF : final)) {
          restEnd--;
        }
        if (restEnd > rest) value += text.slice(rest, restEnd);
      } else {
        const fieldStart = i;
        while (i < length) {
          const c = text.charCodeAt(i);
          if (c === COMMA || c === LF) break;
          i++;
        }
        let fieldEnd = i;
        if (i < length && text.charCodeAt(i) === LF && fieldEnd > fieldStart && text.charCodeAt(fieldEnd - 1) === CR) {
          fieldEnd--;
        } else if (i === length && final && fieldEnd > fieldStart && text.charCodeAt(fieldEnd - 1) === CR) {
          fieldEnd--;
        }
        value = text.slice(fieldStart, fieldEnd);
      }

      if (i < length && text.charCodeAt(i) === COMMA) {
        fields.push(value);
        i++;
        continue;
      }
      if (i === length && !final) return undefined;
      // End of record: a line break, or the end of the input.
      let end = i;
      if (end > start && text.charCodeAt(end - 1) === CR) end--;
      // A blank line is a record with no fields rather than one empty field.
      if (!(fields.length === 0 && value === '' && end === start)) fields.push(value);
      this.recordEnd = end;
      this.nextStart = i < length ? i + 1 : i;
      this.linesInRecord = lines;
      return fields;
    }
  }
}

/**
 * Parses one CSV line (or one record, if a quoted field spans lines) into its
 * fields, with the same rules as {@link CsvParser}.
 *
 * ## Example
 *
 * ```ts
 * import { parseCsvLine } from '@tributary/examples';
 *
 * parseCsvLine('536365,"PAPER CRAFT , LITTLE BIRDIE",6'); // ['536365', 'PAPER CRAFT , LITTLE BIRDIE', '6']
 * ```
 *
 * @param line The text of one record, with or without its line break.
 * @return The fields of the first record; `[]` for a blank line.
 */
export function parseCsvLine(line: string): string[] {
  const parser = new CsvParser();
  const records = parser.push(line);
  const first = records[0] ?? parser.end()[0];
  return first === undefined ? [] : first.fields;
}

/**
 * Reads CSV records from a stream of text chunks (for example a file read with
 * `setEncoding('utf8')`), yielding them in batches as the chunks complete them.
 *
 * @param chunks The text of the input, in order.
 * @return The records of each chunk, as a batch; empty batches are skipped.
 */
export async function* readCsvRecords(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvParser();
  for await (const chunk of chunks) {
    const records = parser.push(chunk);
    if (records.length > 0) yield records;
  }
  const last = parser.end();
  if (last.length > 0) yield last;
}
