import type { Headers } from '../KeyValue';
import type { OutgoingRecord } from './RecordCollector';

/** What to do with a record whose key or value cannot be read, whose processing threw, or whose output cannot be written. */
export type ErrorResponse = 'continue' | 'fail' | { deadLetterTopic: string };

/** Decides per error; `kind` tells a deserialization error from a processing or a production error. */
export type ErrorHandler = (error: Error, context: ErrorContext) => ErrorResponse;

/** The input record the error is about (for a production error: the record whose output failed). */
export interface ErrorContext {
  /**
   * `'deserialization'`: a key or value that could not be read or is outside its schema (a
   * `DeserializationError`). `'processing'`: user code threw (a `ProcessingError`), including a
   * sink's topic function or partitioner. `'production'`: an output record that cannot be written
   * (Kafka Streams' `ProductionExceptionHandler`), a `ProductionError` whose cause says why: a
   * `SerializationError` when the sink's serde refused the key or value (a value outside the
   * serde's schema: its cause is a `SchemaValidationError` with the issues), or a
   * `RecordTooLargeError` when the producer refused the record for its size.
   */
  readonly kind: 'deserialization' | 'processing' | 'production';
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The processor that threw, for processing errors; the sink, for a value its serde refused. */
  readonly processor?: string;
}

/** Ready-made handlers, after Kafka Streams' `LogAndContinue`, `LogAndFail` and KIP-1034's dead-letter queue. */
export const ErrorHandlers = {
  /** Log the error, skip the record (it counts as complete) and go on. */
  logAndContinue: (): ErrorHandler => () => 'continue',
  /** Log the error and stop the task; the record's offset is not committed. The default. */
  logAndFail: (): ErrorHandler => () => 'fail',
  /**
   * Send the input record, as it was read, to `topic` with the error in its headers, and go on.
   * A dead letter too large for `topic` is written with its value cut short, or without key,
   * value and the input's headers when that is not enough ({@link DeadLetterHeaders.truncated} says so).
   */
  deadLetter:
    (topic: string): ErrorHandler =>
    () => ({ deadLetterTopic: topic }),
} as const;

/** Header names on dead-letter records (KIP-1034's, and two of Tributary's for dead letters cut to fit). */
export const DeadLetterHeaders = {
  exception: '__streams.errors.exception',
  /** The error message, cut to {@link DEAD_LETTER_TEXT_MAX_BYTES}. */
  message: '__streams.errors.message',
  /** The stack trace, cut to {@link DEAD_LETTER_TEXT_MAX_BYTES} (its top frames are kept). */
  stacktrace: '__streams.errors.stacktrace',
  topic: '__streams.errors.topic',
  partition: '__streams.errors.partition',
  offset: '__streams.errors.offset',
  processor: '__streams.errors.processor',
  /**
   * Present when the dead letter did not fit its topic: `'value'` (the value is the start of the
   * input's value) or `'key,value,headers'` (key and value are null and the input's own headers
   * are left out; the error headers remain).
   */
  truncated: '__streams.errors.truncated',
  /** With `truncated`: the size of the input's value in bytes. */
  valueSize: '__streams.errors.value.size',
} as const;

/** The message and stack-trace headers of a dead letter are cut to this many bytes (UTF-8): 2 KiB. */
export const DEAD_LETTER_TEXT_MAX_BYTES = 2048;

const ERROR_HEADER_PREFIX = '__streams.errors.';

export function deadLetterHeaders(error: Error, context: ErrorContext, original: Headers): Headers {
  const headers: Headers = { ...original };
  headers[DeadLetterHeaders.exception] = error.name;
  headers[DeadLetterHeaders.message] = cutText(error.message, DEAD_LETTER_TEXT_MAX_BYTES);
  headers[DeadLetterHeaders.stacktrace] = cutText(error.stack ?? '', DEAD_LETTER_TEXT_MAX_BYTES);
  headers[DeadLetterHeaders.topic] = context.topic;
  headers[DeadLetterHeaders.partition] = String(context.partition);
  headers[DeadLetterHeaders.offset] = String(context.offset);
  if (context.processor) headers[DeadLetterHeaders.processor] = context.processor;
  return headers;
}

/** What the two headers a cut adds may take, lengths included. */
const CUT_HEADERS_MAX_BYTES = 128;

/**
 * A smaller version of a dead letter that is `excessBytes` too large for its topic: its value
 * cut short by that much (and room for the headers saying so), or, when the value cannot give
 * enough or was cut already, only the error headers. `undefined` when nothing is left to cut.
 */
export function shrinkDeadLetter(record: OutgoingRecord, excessBytes: number): OutgoingRecord | undefined {
  const { headers, value } = record;
  const cut = headers[DeadLetterHeaders.truncated];
  if (cut === 'key,value,headers') return undefined;
  const valueSize = headers[DeadLetterHeaders.valueSize] ?? (value === null ? undefined : String(value.length));
  const keep = (value?.length ?? 0) - excessBytes - CUT_HEADERS_MAX_BYTES;
  if (cut === undefined && value !== null && keep >= 0) {
    return { ...record, value: value.subarray(0, keep), headers: { ...headers, [DeadLetterHeaders.truncated]: 'value', [DeadLetterHeaders.valueSize]: valueSize } };
  }
  const errorHeaders: Headers = {};
  for (const name in headers) if (name.startsWith(ERROR_HEADER_PREFIX)) errorHeaders[name] = headers[name];
  errorHeaders[DeadLetterHeaders.truncated] = 'key,value,headers';
  if (valueSize !== undefined) errorHeaders[DeadLetterHeaders.valueSize] = valueSize;
  return { ...record, key: null, value: null, headers: errorHeaders };
}

/** `text` if it fits in `maxBytes` of UTF-8, else its start (never half a character) and a note of what was cut. */
function cutText(text: string, maxBytes: number): string {
  // A UTF-8 character takes at most 3 bytes per UTF-16 code unit.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  const note = `... (${bytes.length} bytes, cut to ${maxBytes})`;
  let end = maxBytes - Buffer.byteLength(note);
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back to the start of a character
  return bytes.subarray(0, end).toString('utf8') + note;
}
