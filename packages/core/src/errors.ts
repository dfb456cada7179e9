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

/** A key or value that a sink's serde could not write. */
export class SerializationError extends StreamsError {
  constructor(detail: string, topic: string, cause?: unknown) {
    super(`Cannot serialize a record for topic '${topic}': ${detail}`, { cause });
  }
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

/** The task stopped because an error handler chose to fail. */
export class TaskFailedError extends StreamsError {}
