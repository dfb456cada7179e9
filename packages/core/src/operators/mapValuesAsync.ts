import type { AnyRecord, OperatorFactory } from '../graph/GraphNode';
import type { RecordHold } from '../runtime/CommitTracker';
import { storeKey } from '../state/storeKey';
import { recordOperator, withValue } from './operatorInternals';

interface Job {
  readonly record: AnyRecord;
  readonly hold: RecordHold | undefined;
  readonly key: unknown;
}

/**
 * Replaces the value with what `mapper(value, key)` resolves to, for calls to an external
 * service. At most `concurrency` calls run at once; records of one key are mapped and
 * emitted in their input order, records of different keys may overtake each other. Each
 * record stays open (its offset uncommitted) until its result has been processed
 * downstream; a rejected promise goes to the processing error handler.
 */
export function mapRecordValuesAsync(mapper: (value: unknown, key: unknown) => Promise<unknown> | unknown, concurrency: number): OperatorFactory {
  return recordOperator((context, emit) => {
    let running = 0;
    let closed = false;
    const ready: Job[] = [];
    // Per key: the job running or ready, then the jobs behind it.
    const byKey = new Map<unknown, Job[]>();

    const pump = () => {
      while (!closed && running < concurrency && ready.length > 0) start(ready.shift()!);
    };
    const start = (job: Job) => {
      running++;
      Promise.resolve()
        .then(() => mapper(job.record.value, job.record.key))
        .then(
          (value) => finish(job, () => emit(withValue(job.record, value))),
          (error: unknown) => finish(job, () => context.reportError(error, job.record)),
        );
    };
    const finish = (job: Job, work: () => void) => {
      running--;
      if (!closed) context.resume(job.hold, work);
      job.hold?.release();
      const queue = byKey.get(job.key)!;
      queue.shift();
      if (queue.length > 0) ready.push(queue[0]!);
      else byKey.delete(job.key);
      pump();
    };

    return {
      next(record) {
        const job: Job = { record, hold: context.hold(), key: storeKey(record.key) };
        const queue = byKey.get(job.key);
        if (queue) {
          queue.push(job);
          return;
        }
        byKey.set(job.key, [job]);
        ready.push(job);
        pump();
      },
      close() {
        closed = true;
      },
    };
  });
}
