import type { Headers } from '../KeyValue';

/** What to do with a record whose key or value cannot be read, or whose processing threw. */
export type ErrorResponse = 'continue' | 'fail' | { deadLetterTopic: string };

/** Decides per error; `kind` tells a deserialization error from a processing error. */
export type ErrorHandler = (error: Error, context: ErrorContext) => ErrorResponse;

export interface ErrorContext {
  readonly kind: 'deserialization' | 'processing';
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The processor that threw, for processing errors. */
  readonly processor?: string;
}

/** Ready-made handlers, after Kafka Streams' `LogAndContinue`, `LogAndFail` and KIP-1034's dead-letter queue. */
export const ErrorHandlers = {
  /** Log the error, skip the record (it counts as complete) and go on. */
  logAndContinue: (): ErrorHandler => () => 'continue',
  /** Log the error and stop the task; the record's offset is not committed. The default. */
  logAndFail: (): ErrorHandler => () => 'fail',
  /** Send the input record, as it was read, to `topic` with the error in its headers, and go on. */
  deadLetter:
    (topic: string): ErrorHandler =>
    () => ({ deadLetterTopic: topic }),
} as const;

/** Header names on dead-letter records (KIP-1034's). */
export const DeadLetterHeaders = {
  exception: '__streams.errors.exception',
  message: '__streams.errors.message',
  stacktrace: '__streams.errors.stacktrace',
  topic: '__streams.errors.topic',
  partition: '__streams.errors.partition',
  offset: '__streams.errors.offset',
  processor: '__streams.errors.processor',
} as const;

export function deadLetterHeaders(error: Error, context: ErrorContext, original: Headers): Headers {
  const headers: Headers = { ...original };
  headers[DeadLetterHeaders.exception] = error.name;
  headers[DeadLetterHeaders.message] = error.message;
  headers[DeadLetterHeaders.stacktrace] = error.stack ?? '';
  headers[DeadLetterHeaders.topic] = context.topic;
  headers[DeadLetterHeaders.partition] = String(context.partition);
  headers[DeadLetterHeaders.offset] = String(context.offset);
  if (context.processor) headers[DeadLetterHeaders.processor] = context.processor;
  return headers;
}
