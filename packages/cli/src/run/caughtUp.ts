import type { StreamsApplication, StreamsMetrics } from '@tributary/core';
import { EmbeddedStreams } from '@tributary/core/embedded';

/**
 * Waits until the application has consumed and committed `expected` records of its input topics and
 * every partition it reads (repartition topics too) has lag 0, and returns its metrics then.
 * Works on any {@link StreamsApplication}, or anything with its `state`, `metrics()` and `events`
 * (`StreamThreads` of @tributary/kafka).
 */
export async function caughtUp(app: Pick<StreamsApplication, 'state' | 'metrics' | 'events'>, inputTopics: string | readonly string[], expected: number): Promise<StreamsMetrics> {
  const inputs = new Set(typeof inputTopics === 'string' ? [inputTopics] : inputTopics);
  if (app instanceof EmbeddedStreams) {
    await app.whenCaughtUp();
    return app.metrics();
  }
  return new Promise((resolve, reject) => {
    const check = () => {
      if (app.state === 'ERROR' || app.state === 'NOT_RUNNING') {
        done();
        reject(new Error(`the application stopped (state ${app.state}) before it caught up`));
        return;
      }
      const metrics = app.metrics();
      const input = metrics.partitions.filter((p) => inputs.has(p.topic));
      const committed = input.reduce((n, p) => n + (p.committedOffset ?? 0), 0);
      if (input.length > 0 && committed >= expected && metrics.lag === 0) {
        done();
        resolve(metrics);
      }
    };
    // An `error` event alone is no stop (a replaced task reports one and the application goes
    // on); the state says whether it stopped, and the last error says why.
    let lastError: Error | undefined;
    const subscription = app.events.subscribe((event) => {
      if (event.type === 'error') lastError = event.error;
      if (event.type === 'state' && (event.to === 'ERROR' || event.to === 'NOT_RUNNING')) {
        done();
        reject(lastError ?? new Error(`the application stopped (state ${event.to}) before it caught up`));
      }
    });
    const timer = setInterval(check, 200);
    const done = () => {
      clearInterval(timer);
      subscription.unsubscribe();
    };
  });
}
