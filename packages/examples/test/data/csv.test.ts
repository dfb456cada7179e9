import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, parseCsvLine, readCsvRecords } from '../../src/data';
import type { CsvRecord } from '../../src/data';

/** Feeds `text` to a parser in pieces of `size` characters. */
function parseInPieces(text: string, size: number): CsvRecord[] {
  const parser = new CsvParser();
  const records: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += size) records.push(...parser.push(text.slice(i, i + size)));
  records.push(...parser.end());
  return records;
}

describe('parseCsvLine', () => {
  it('splits plain fields', () => {
    expect(parseCsvLine('536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6')).toEqual([
      '536365',
      '85123A',
      'WHITE HANGING HEART T-LIGHT HOLDER',
      '6',
    ]);
  });

  it('keeps empty fields, including the first and the last', () => {
    expect(parseCsvLine(',a,,b,')).toEqual(['', 'a', '', 'b', '']);
    expect(parseCsvLine('2.55,,United Kingdom')).toEqual(['2.55', '', 'United Kingdom']);
  });

  it('reads commas inside quotes', () => {
    expect(parseCsvLine('581483,23843,"PAPER CRAFT , LITTLE BIRDIE",80995')).toEqual([
      '581483',
      '23843',
      'PAPER CRAFT , LITTLE BIRDIE',
      '80995',
    ]);
  });

  it('reads doubled quotes as one quote', () => {
    expect(parseCsvLine('536477,"RECORD FRAME 7"" SINGLE SIZE ",48')).toEqual([
      '536477',
      'RECORD FRAME 7" SINGLE SIZE ',
      '48',
    ]);
    expect(parseCsvLine('"LETTER ""D"" BLING KEY RING"')).toEqual(['LETTER "D" BLING KEY RING']);
    expect(parseCsvLine('"""quoted"""')).toEqual(['"quoted"']);
    expect(parseCsvLine('""')).toEqual(['']);
    expect(parseCsvLine('"",""')).toEqual(['', '']);
  });

  it('drops the line break, LF or CRLF', () => {
    expect(parseCsvLine('a,b\n')).toEqual(['a', 'b']);
    expect(parseCsvLine('a,b\r\n')).toEqual(['a', 'b']);
    expect(parseCsvLine('a,"b"\r\n')).toEqual(['a', 'b']);
    expect(parseCsvLine('a,"b"\r')).toEqual(['a', 'b']);
  });

  it('keeps spaces: trimming is the caller’s decision', () => {
    expect(parseCsvLine(' a , b ')).toEqual([' a ', ' b ']);
  });

  it('is lenient with quotes that RFC 4180 forbids', () => {
    expect(parseCsvLine('ab"c,d')).toEqual(['ab"c', 'd']); // quote inside an unquoted field
    expect(parseCsvLine('"ab"c,d')).toEqual(['abc', 'd']); // text after the closing quote
    expect(parseCsvLine('a,"never closed')).toEqual(['a', 'never closed']);
  });

  it('returns no fields for a blank line', () => {
    expect(parseCsvLine('')).toEqual([]);
    expect(parseCsvLine('\r\n')).toEqual([]);
  });
});

describe('CsvParser', () => {
  const text =
    'InvoiceNo,Description,Quantity\r\n' +
    '536365,"PAPER CRAFT , LITTLE BIRDIE",6\r\n' +
    '536366,"two\r\nlines, and ""quotes""",8\r\n' +
    '\r\n' +
    '536367,plain ,1';

  const expected = [
    { fields: ['InvoiceNo', 'Description', 'Quantity'], line: 1, text: 'InvoiceNo,Description,Quantity' },
    {
      fields: ['536365', 'PAPER CRAFT , LITTLE BIRDIE', '6'],
      line: 2,
      text: '536365,"PAPER CRAFT , LITTLE BIRDIE",6',
    },
    {
      fields: ['536366', 'two\r\nlines, and "quotes"', '8'],
      line: 3,
      text: '536366,"two\r\nlines, and ""quotes""",8',
    },
    { fields: [], line: 5, text: '' },
    { fields: ['536367', 'plain ', '1'], line: 6, text: '536367,plain ,1' },
  ];

  it('reads a whole input with line numbers and record texts', () => {
    expect(parseInPieces(text, text.length)).toEqual(expected);
  });

  it('gives the same records however the input is cut into chunks', () => {
    // Every size from 1 cuts somewhere awkward: between \r and \n, inside "", after a quote.
    for (let size = 1; size <= 12; size++) expect(parseInPieces(text, size)).toEqual(expected);
  });

  it('keeps an unfinished record until its end arrives', () => {
    const parser = new CsvParser();
    expect(parser.push('a,"b')).toEqual([]);
    expect(parser.push('"')).toEqual([]); // closing quote or the first of a doubled quote?
    expect(parser.push('"",c\n').map((r) => r.fields)).toEqual([['a', 'b"', 'c']]);
    expect(parser.push('d,e')).toEqual([]);
    expect(parser.end().map((r) => r.fields)).toEqual([['d', 'e']]);
  });

  it('makes no record of the line break at the end of the input', () => {
    const parser = new CsvParser();
    expect(parser.push('a\nb\n').map((r) => r.fields)).toEqual([['a'], ['b']]);
    expect(parser.end()).toEqual([]);
  });

  it('reads records from an async stream of chunks', async () => {
    async function* chunks() {
      yield 'x,y\nz,';
      yield '"w"\n';
    }
    const batches: string[][][] = [];
    for await (const batch of readCsvRecords(chunks())) batches.push(batch.map((r) => r.fields));
    expect(batches).toEqual([[['x', 'y']], [['z', 'w']]]);
  });
});

describe('CsvParser against a writer', () => {
  const quote = (field: string): string => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
  const write = (rows: string[][], eol: string): string =>
    rows.map((row) => (row.length === 1 && row[0] === '' ? '""' : row.map(quote).join(','))).join(eol) + eol;

  it('reads back any table written with RFC 4180 quoting, in any chunking', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\r', '\n', '£', '7') });
    const table = fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 40 }), (rows, eol, size) => {
        expect(parseInPieces(write(rows, eol), size).map((r) => r.fields)).toEqual(rows);
      }),
    );
  });
});
