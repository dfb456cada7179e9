import type { StandardSchemaV1 } from '@standard-schema/spec';

/**
 * Tributary's errors: a small hierarchy with `retriable` and `cause`, after KafkaJS.
 */
export class StreamsError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** A topology that cannot be built: a bad argument, a duplicate name, a missing store. */
export class TopologyError extends StreamsError {}

/** Where a record came from, for error messages and dead-letter headers. */
export interface RecordOrigin {
  topic: string;
  partition: number;
  offset: number;
}

const where = (origin: RecordOrigin) => `topic '${origin.topic}' partition ${origin.partition} offset ${origin.offset}`;

/** A key or value that its serde could not read, or that failed schema validation. */
export class DeserializationError extends StreamsError {
  readonly origin: RecordOrigin;
  constructor(detail: string, origin: RecordOrigin, cause?: unknown) {
    super(`Cannot deserialize the record at ${where(origin)}: ${detail}`, { cause });
    this.origin = origin;
  }
}

/**
 * A key or value that a serde refused to write: the cause says why (for a value outside its
 * schema, a {@link SchemaValidationError}). At a sink it reaches the production error handler
 * inside a {@link ProductionError}, as in Kafka Streams' `handleSerializationException`; in a
 * store's changelog it fails the task.
 */
export class SerializationError extends StreamsError {
  /** The topic the record was for. */
  readonly topic: string;
  /** Which part of the record the serde refused (Kafka Streams' `SerializationExceptionOrigin`). */
  readonly part: 'key' | 'value';
  /**
   * @param serde the serde's name, e.g. `json(schema)`
   * @param hint appended to the message, e.g. what to change
   */
  constructor(topic: string, part: 'key' | 'value', serde: string, cause: unknown, hint?: string) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`the ${part} for topic '${topic}' was refused by its serde ${serde}: ${reason}${hint ? ` (${hint})` : ''}`, { cause });
    this.topic = topic;
    this.part = part;
  }
}

/**
 * A value outside its schema, thrown by a serde that validates, when it reads (a
 * deserialization error) or writes (a serialization error). The message lists every issue with
 * its path, e.g. `schema validation failed: amount: Expected integer, received float`.
 * Serdes of other schema systems throw it too, with their issues in Standard Schema's shape.
 *
 * ## Example
 * ```ts
 * import { SchemaValidationError, type Serde } from '@tributary/core';
 *
 * const cents: Serde<number> = {
 *   name: 'cents',
 *   serialize: (_topic, value) => {
 *     if (!Number.isInteger(value)) throw new SchemaValidationError([{ message: `Expected integer, received ${value}` }]);
 *     return Buffer.from(String(value));
 *   },
 *   deserialize: (_topic, data) => Number(data?.toString()),
 * };
 * ```
 */
export class SchemaValidationError extends StreamsError {
  readonly issues: readonly StandardSchemaV1.Issue[];
  constructor(issues: readonly StandardSchemaV1.Issue[]) {
    super(`schema validation failed: ${issues.map(describeIssue).join('; ')}`);
    this.issues = issues;
  }
}

/** `path: message`, the path's keys joined with dots (`items.0.amount`); the message alone at the root. */
function describeIssue(issue: StandardSchemaV1.Issue): string {
  const path = issue.path?.map((part) => String(typeof part === 'object' ? part.key : part)).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** An exception thrown by user code (a predicate, mapper, aggregator, processor) for one record. */
export class ProcessingError extends StreamsError {
  readonly origin: RecordOrigin;
  readonly processor: string;
  constructor(processor: string, origin: RecordOrigin, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Processor ${processor} failed on the record at ${where(origin)}: ${reason}`, { cause });
    this.origin = origin;
    this.processor = processor;
  }
}

/**
 * A record the producer refused before sending it, for its size alone: `sizeBytes` (the record
 * in a record batch of its own, as Kafka counts it) is above `limitBytes`. The records sent
 * with it are not affected.
 */
export class RecordTooLargeError extends StreamsError {
  constructor(
    readonly topic: string,
    readonly partition: number | undefined,
    readonly sizeBytes: number,
    readonly limitBytes: number,
    /** What sets the limit, e.g. `maxRequestSizeBytes` or `max.message.bytes of topic 'out'`. */
    readonly limitName: string,
  ) {
    const target = partition === undefined ? `topic '${topic}'` : `topic '${topic}' partition ${partition}`;
    super(`the record for ${target} is ${sizeBytes} bytes, more than the ${limitBytes} bytes allowed (${limitName})`);
  }
}

/** An output record that could not be written (its cause says why), with the input record it came from. */
export class ProductionError extends StreamsError {
  readonly origin: RecordOrigin;
  /** The topic the record was for. */
  readonly topic: string;
  constructor(topic: string, origin: RecordOrigin, cause: Error) {
    super(`Cannot write the output of the record at ${where(origin)}: ${cause.message}`, { cause });
    this.origin = origin;
    this.topic = topic;
  }
}

/** The task stopped because an error handler chose to fail. */
export class TaskFailedError extends StreamsError {}
