import { ErrorHandlers, type ErrorContext, type ErrorHandler, type StreamsEvent } from '@tributary/core';
import type { Observable, Subscription } from 'rxjs';
import { RingBuffer } from './RingBuffer';

/** A record an error handler skipped, dead-lettered or failed on, or an error the application reported. */
export interface DeadLetterEntry {
  /** When it happened, ms since the epoch. */
  readonly t: number;
  /** `dead-letter`, `continue` (skipped), `fail` (the task stopped), or `error` (an `error` event of the application). */
  readonly outcome: 'dead-letter' | 'continue' | 'fail' | 'error';
  /** As the dropped-records metric names it: `deserialization-error`, `processing-error`, `production-error`, `dead-letter`; `error` for an event. */
  readonly reason: string;
  readonly kind?: ErrorContext['kind'];
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
  readonly processor?: string;
  readonly deadLetterTopic?: string;
  /** The error's name and message. */
  readonly error: string;
}

/**
 * The last dead letters and errors, for the dashboard: {@link observe} wraps an error handler
 * so that each record it skips, dead-letters or fails on is noted with its topic, partition,
 * offset and error (the handler's answer is unchanged), and {@link follow} notes the
 * application's `error` events. Counts by reason come from the metrics (`droppedByReason`),
 * which also cover records dropped without a handler (late, null key).
 *
 * ## Example
 * ```ts
 * import { ErrorHandlers } from '@tributary/core';
 * import { EmbeddedStreams } from '@tributary/core/embedded';
 * import { DeadLetterLog, serveDashboard } from '@tributary/kafka';
 *
 * const deadLetters = new DeadLetterLog();
 * const app = new EmbeddedStreams(topology, { applicationId: 'crm', deserializationErrorHandler: deadLetters.observe(ErrorHandlers.deadLetter('crm-dlq')) });
 * await app.start();
 * const dashboard = await serveDashboard(app, topology, { port: 8080, applicationId: 'crm', deadLetters });
 * ```
 */
export class DeadLetterLog {
  private readonly entries: RingBuffer<DeadLetterEntry>;

  /** @param capacity How many entries are kept, the newest. Defaults to `100`. */
  constructor(capacity = 100) {
    this.entries = new RingBuffer(capacity);
  }

  /** `handler` (by default `ErrorHandlers.logAndFail()`, the runtimes' default), noting what it decides. */
  observe(handler: ErrorHandler | undefined): ErrorHandler {
    const decide = handler ?? ErrorHandlers.logAndFail();
    return (error, context) => {
      const response = decide(error, context);
      const outcome = response === 'continue' || response === 'fail' ? response : 'dead-letter';
      this.entries.push({
        t: Date.now(),
        outcome,
        reason: outcome === 'dead-letter' ? 'dead-letter' : `${context.kind}-error`,
        kind: context.kind,
        topic: context.topic,
        partition: context.partition,
        offset: context.offset,
        ...(context.processor ? { processor: context.processor } : {}),
        ...(typeof response === 'object' ? { deadLetterTopic: response.deadLetterTopic } : {}),
        error: describe(error),
      });
      return response;
    };
  }

  /** Notes the `error` events of `events` until the returned subscription ends (or the events complete). */
  follow(events: Observable<StreamsEvent>): Subscription {
    return events.subscribe((event) => {
      if (event.type === 'error') this.entries.push({ t: Date.now(), outcome: 'error', reason: 'error', error: describe(event.error) });
    });
  }

  /** The entries kept, newest first. */
  recent(): DeadLetterEntry[] {
    return this.entries.toArray().reverse();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
