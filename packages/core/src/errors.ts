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
