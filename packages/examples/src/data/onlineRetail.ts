import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { CsvParser } from './csv';
import type { CsvRecord } from './csv';
import type { CustomerInteraction } from './interaction';
import { classifyOnlineRetailRow, InvoiceDateCache, ONLINE_RETAIL_COLUMNS, REJECTION_REASONS } from './onlineRetailRow';
import type { RejectionReason } from './onlineRetailRow';

/**
 * One data row of the Online Retail file, read: an interaction, or a rejection
 * with its reason, its line in the file and its text as written.
 */
export type ParsedRow =
  | { kind: 'interaction'; interaction: CustomerInteraction }
  | { kind: 'rejected'; reason: RejectionReason; line: number; raw: string };

/** Options of {@link readOnlineRetail} and {@link loadOnlineRetail}. */
export interface ReadOnlineRetailOptions {
  /** Stop after this many data rows (kept or rejected). Defaults to all rows. */
  limit?: number;
}

/** What {@link loadOnlineRetail} read. */
export interface OnlineRetailData {
  /** The kept rows, in file order (which is event-time order). */
  interactions: CustomerInteraction[];
  /** How many rows were rejected, per reason; every reason is present. */
  rejected: Record<RejectionReason, number>;
  /** Data rows read (the header and blank lines are not rows): kept + rejected. */
  rowsRead: number;
}

/**
 * The copy of the data set in this package, `packages/examples/data/online-retail.csv.gz`,
 * found relative to this module so that it works from any working directory,
 * from the sources (`src/data/`) as from the bundle (`dist/`).
 */
export const ONLINE_RETAIL_PATH: string = resolveDataFile('online-retail.csv.gz');

function resolveDataFile(name: string): string {
  const candidates = [`../../data/${name}`, `../data/${name}`].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string);
}

/** The gzip read chunk: large chunks mean few trips through the event loop. */
const CHUNK_SIZE = 1 << 18;

/**
 * Reads the Online Retail data set as a stream of rows, each turned into a
 * {@link CustomerInteraction} or rejected with a reason.
 *
 * The file is read and decompressed as a stream (a `.gz` name is gunzipped, any
 * other is read as plain CSV), so memory stays flat whatever the size. Rows come
 * in file order; the file is sorted by InvoiceDate (non-decreasing, many rows
 * share a minute), so the interactions are in event-time order.
 *
 * ## Example
 *
 * ```ts
 * import { readOnlineRetail } from '@tributary/examples';
 *
 * for await (const row of readOnlineRetail(undefined, { limit: 1000 })) {
 *   if (row.kind === 'interaction') console.log(row.interaction.customerId, row.interaction.amount);
 *   else console.warn(`line ${row.line}: ${row.reason}`);
 * }
 * ```
 *
 * @see classifyOnlineRetailRow for what is rejected and why.
 * @see loadOnlineRetail to read the whole file at once.
 * @param path The CSV file. Defaults to {@link ONLINE_RETAIL_PATH}.
 * @param options See {@link ReadOnlineRetailOptions}.
 * @return The rows, one by one.
 */
export function readOnlineRetail(
  path: string = ONLINE_RETAIL_PATH,
  options: ReadOnlineRetailOptions = {},
): AsyncIterable<ParsedRow> {
  return { [Symbol.asyncIterator]: () => rowIterator(readOnlineRetailBatches(path, options)) };
}

/**
 * Flattens batches into rows. Written by hand: `yield*` in an async generator costs
 * about a microsecond per row, doubling the time to read the file, while a row
 * from a batch already read here is one resolved promise.
 */
function rowIterator(batches: AsyncGenerator<ParsedRow[]>): AsyncIterator<ParsedRow> {
  let batch: ParsedRow[] = [];
  let index = 0;
  const iterator: AsyncIterator<ParsedRow> = {
    next() {
      if (index < batch.length) return Promise.resolve({ done: false, value: batch[index++] as ParsedRow });
      return batches.next().then((result) => {
        if (result.done === true) return { done: true, value: undefined };
        batch = result.value;
        index = 0;
        return iterator.next();
      });
    },
    async return() {
      await batches.return(undefined);
      return { done: true, value: undefined };
    },
  };
  return iterator;
}

/**
 * The rows of {@link readOnlineRetail}, in batches (one per chunk of the file, a
 * few thousand rows each): the fast way to read the whole file.
 *
 * @param path The CSV file. Defaults to {@link ONLINE_RETAIL_PATH}.
 * @param options See {@link ReadOnlineRetailOptions}.
 * @return The rows, in file order, batch by batch.
 * @throws Error if the file does not start with the Online Retail header (or is
 *   empty), or cannot be read or decompressed.
 */
export async function* readOnlineRetailBatches(
  path: string = ONLINE_RETAIL_PATH,
  options: ReadOnlineRetailOptions = {},
): AsyncGenerator<ParsedRow[]> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (limit <= 0) return;
  const parser = new CsvParser();
  const dates = new InvoiceDateCache();
  let headerSeen = false;
  let rows = 0;

  const toRows = (records: CsvRecord[]): ParsedRow[] => {
    const batch: ParsedRow[] = [];
    for (const record of records) {
      if (!headerSeen) {
        checkHeader(record, path);
        headerSeen = true;
        continue;
      }
      if (record.fields.length === 0) continue; // a blank line is not a row
      const result = classifyOnlineRetailRow(record.fields, record.line, dates);
      batch.push(
        typeof result === 'string'
          ? { kind: 'rejected', reason: result, line: record.line, raw: record.text }
          : { kind: 'interaction', interaction: result },
      );
      if (++rows >= limit) break;
    }
    return batch;
  };

  const text = openText(path);
  try {
    for await (const chunk of text) {
      const batch = toRows(parser.push(chunk as string));
      if (batch.length > 0) yield batch;
      if (rows >= limit) return;
    }
    const batch = toRows(parser.end());
    if (batch.length > 0) yield batch;
    if (!headerSeen) throw new Error(`${path} is not the Online Retail CSV: it is empty`);
  } finally {
    text.destroy();
  }
}

/**
 * Reads the whole Online Retail data set into memory: the interactions in file
 * (event-time) order and the count of rejected rows per reason.
 *
 * ## Example
 *
 * ```ts
 * import { loadOnlineRetail } from '@tributary/examples';
 *
 * const { interactions, rejected, rowsRead } = await loadOnlineRetail();
 * // rowsRead === 541_909, interactions.length === 406_785, rejected['missing-customer'] === 135_080
 * ```
 *
 * @param path The CSV file. Defaults to {@link ONLINE_RETAIL_PATH}.
 * @param options See {@link ReadOnlineRetailOptions}.
 * @return The interactions, the rejection counts and the number of rows read.
 */
export async function loadOnlineRetail(
  path: string = ONLINE_RETAIL_PATH,
  options: ReadOnlineRetailOptions = {},
): Promise<OnlineRetailData> {
  const interactions: CustomerInteraction[] = [];
  const rejected = Object.fromEntries(REJECTION_REASONS.map((reason) => [reason, 0])) as Record<
    RejectionReason,
    number
  >;
  let rowsRead = 0;
  for await (const batch of readOnlineRetailBatches(path, options)) {
    rowsRead += batch.length;
    for (const row of batch) {
      if (row.kind === 'interaction') interactions.push(row.interaction);
      else rejected[row.reason]++;
    }
  }
  return { interactions, rejected, rowsRead };
}

function openText(path: string): Readable {
  const file = createReadStream(path, { highWaterMark: CHUNK_SIZE });
  const text: Readable = path.endsWith('.gz')
    ? pipeline(file, createGunzip({ chunkSize: CHUNK_SIZE }), () => {
        // Errors reach the reader through the last stream; nothing to do here.
      })
    : file;
  text.setEncoding('utf8');
  return text;
}

function checkHeader(record: CsvRecord, path: string): void {
  const header = record.fields.map((field, i) => (i === 0 ? field.replace(/^\uFEFF/, '') : field).trim());
  if (header.join(',') !== ONLINE_RETAIL_COLUMNS.join(',')) {
    throw new Error(
      `${path} is not the Online Retail CSV: expected the header ${ONLINE_RETAIL_COLUMNS.join(',')}, got ${record.text}`,
    );
  }
}
