import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ErrorHandlers, type StreamsApplication, type StreamsMetrics } from '@tributary/core';
import { CUSTOMER_INTERACTIONS_TOPIC, loadOnlineRetail, replayInteractions, type InteractionRecord } from '../data';
import { EmbeddedStreams } from '../embedded/EmbeddedStreams';
import type { Example } from '../pipelines/examples';
import { CRM_APPLICATION_ID } from '../pipelines/topics';
import { formatCount, formatDuration } from './format';
import { createKafkaApplication, KafkaRunner, type KafkaTarget } from './kafka';
import { ProgressDisplay, ProgressTracker } from './progress';
import { dataReport, type RunReport } from './summary';

/** Options of {@link runExample}. */
export interface RunOptions {
  /** Run through Kafka (these brokers, with this connection) instead of the embedded engine. */
  kafka?: KafkaTarget;
  /** Read only the first `limit` rows of the data set. Defaults to all 541,909. */
  limit?: number;
  /** Partitions of `customer_interactions` (embedded engine, or a topic the run creates on Kafka). Defaults to `4`. */
  partitions?: number;
  /** Where progress goes. Defaults to stderr. */
  progress?: ProgressDisplay;
}

/**
 * Runs an example over the Online Retail data: reads the data set, replays it in event
 * time order into `customer_interactions`, processes it to the end (lag 0) on the
 * embedded engine or on Kafka, and collects the output topics for the summary.
 *
 * The application is created by one line in either case, behind the
 * {@link StreamsApplication} interface; everything after it is the same code.
 */
export async function runExample(example: Example, options: RunOptions = {}): Promise<RunReport> {
  const started = performance.now();
  const progress = options.progress ?? new ProgressDisplay();
  const partitions = options.partitions ?? 4;
  const topic = CUSTOMER_INTERACTIONS_TOPIC;

  progress.log(`Reading the Online Retail data set${options.limit ? ` (first ${formatCount(options.limit)} rows)` : ''}...`);
  const { interactions, rejected, rowsRead } = await loadOnlineRetail(undefined, options.limit ? { limit: options.limit } : {});
  const data = dataReport(interactions, rowsRead, rejected);
  progress.log(`Read ${formatCount(rowsRead)} rows in ${formatDuration(performance.now() - started)}: ${formatCount(interactions.length)} interactions, ${formatCount(rowsRead - interactions.length)} rejected.`);

  const topology = example.build();
  const kafka = options.kafka ? await KafkaRunner.connect(options.kafka) : undefined;
  try {
    let app: StreamsApplication;
    let produce: (batch: InteractionRecord[]) => Promise<void>;
    let readOutputs: () => Promise<Map<string, unknown[]>>;
    if (kafka) {
      await kafka.prepareTopics(topic, partitions, example.outputTopics, topology);
      // Kafka: the data goes to the topic first, then the application consumes it.
      progress.log(`Producing ${formatCount(interactions.length)} records to '${topic}' on ${kafka.brokers.join(',')}...`);
      const producedAt = performance.now();
      await kafka.produceInteractions(topic, interactions);
      progress.log(`Produced in ${formatDuration(performance.now() - producedAt)}.`);
      app = await createKafkaApplication(topology, CRM_APPLICATION_ID, options.kafka!);
      produce = async () => {};
      readOutputs = () => kafka.readTopics(example.outputTopics);
    } else {
      const embedded = new EmbeddedStreams(topology, {
        applicationId: CRM_APPLICATION_ID,
        partitions,
        deserializationErrorHandler: ErrorHandlers.logAndContinue(),
      });
      app = embedded;
      // Embedded: records are produced while the application runs, so lag rises and falls as on a live topic.
      produce = async (batch) => {
        embedded.produce(topic, batch);
        await yieldToEventLoop();
      };
      readOutputs = async () => new Map(example.outputTopics.map((t) => [t, embedded.read(t).map((r) => r.value)]));
    }

    const tracker = new ProgressTracker(topic, () => interactions.length);
    const processingStarted = performance.now();
    await app.start();
    const timer = setInterval(() => progress.update(tracker.snapshot(app.metrics())), 100);
    let metrics: StreamsMetrics;
    try {
      await replayInteractions(interactions, produce, { batchSize: 2000 });
      metrics = await caughtUp(app, topic, interactions.length);
    } finally {
      clearInterval(timer);
    }
    const processingMs = performance.now() - processingStarted;
    progress.finish(tracker.snapshot(metrics, true));
    const outputs = await readOutputs();
    await app.close();
    return {
      example,
      engine: kafka ? { kind: 'kafka', brokers: kafka.brokers } : { kind: 'embedded', partitions },
      applicationId: CRM_APPLICATION_ID,
      data,
      metrics,
      processingMs,
      totalMs: performance.now() - started,
      outputs,
      inputTopic: topic,
    };
  } finally {
    await kafka?.disconnect();
  }
}

/**
 * Waits until the application has consumed and committed all `expected` input records and
 * every partition it reads (repartition topics too) has lag 0, and returns its metrics then.
 * Works on any {@link StreamsApplication}: it reads only `metrics()` and `events`.
 */
export async function caughtUp(app: StreamsApplication, inputTopic: string, expected: number): Promise<StreamsMetrics> {
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
      const input = metrics.partitions.filter((p) => p.topic === inputTopic);
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
