import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { caughtUp, createKafkaApplication, formatCount, formatDuration, KafkaRunner, ProgressDisplay, ProgressTracker, type KafkaTarget } from '@tributary/cli';
import { ErrorHandlers, type StreamsApplication, type StreamsMetrics } from '@tributary/core';
import { DeadLetterLog, serveDashboard, StreamThreads, type DashboardServer } from '@tributary/kafka';
import { EmbeddedStreams } from '@tributary/core/embedded';
import { CUSTOMER_INTERACTIONS_TOPIC, loadOnlineRetail, replayInteractions, type InteractionRecord } from '../data';
import type { Example } from '../pipelines/examples';
import { CRM_APPLICATION_ID } from '../pipelines/topics';
import type { ExampleThreadData } from './exampleThread';
import { recordsWritten } from './recordsWritten';
import { dataReport, type RunReport } from './summary';

/** Options of {@link runExample}. */
export interface RunOptions {
  /** Run through Kafka (these brokers, with this connection) instead of the embedded engine. */
  kafka?: KafkaTarget;
  /** Read only the first `limit` rows of the data set. Defaults to all 541,909. */
  limit?: number;
  /** Partitions of `customer_interactions` (embedded engine, or a topic the run creates on Kafka). Defaults to `4`. */
  partitions?: number;
  /**
   * Keeps the stores on disk in LMDB under this directory (`<stateDir>/<applicationId>/<taskId>/`)
   * instead of in memory: on Kafka as KafkaStreams' `stateDir`, with checkpoints; on the
   * embedded engine wiped at the start. Defaults to none: stores in memory.
   */
  stateDir?: string;
  /** Where progress goes. Defaults to stderr. */
  progress?: ProgressDisplay;
  /**
   * Serves the dashboard on this port (`0`: any free one) while the example runs; once it
   * has run, `keepOpen` gets the page's address and the report, and the application and the
   * page stay up until it resolves.
   */
  dashboard?: { readonly port: number; readonly keepOpen: (url: string, report: RunReport) => Promise<void> };
  /**
   * On Kafka: run the example on this many stream threads (`StreamThreads`, worker threads of
   * this process, each a member of the group with its own tasks). Defaults to `1`: one
   * `KafkaStreams` on the main thread. Not with `dashboard`.
   */
  streamThreads?: number;
}

/** What the demo needs of an application: KafkaStreams, StreamThreads and the embedded engine all have it. */
type DemoApplication = Pick<StreamsApplication, 'state' | 'events' | 'metrics' | 'start' | 'close'>;

/**
 * Runs an example over the Online Retail data: reads the data set, replays it in event
 * time order into `customer_interactions`, processes it to the end (lag 0) on the
 * embedded engine or on Kafka, and collects the output topics for the summary (on Kafka,
 * also the records the application wrote to each topic).
 *
 * In both cases the records are produced while the application runs, and the processing time
 * runs from the start of the application to caught up, producing included: on Kafka the
 * producer sends the whole data set while the application joins its group and starts.
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
    let app: DemoApplication;
    let dashboard: DashboardServer | undefined;
    let dashboardUrl: (() => string) | undefined;
    const deadLetters = new DeadLetterLog();
    /** Embedded: hands one batch of the replay to the engine. */
    let produce: (batch: InteractionRecord[]) => Promise<void> = async () => {};
    /** Kafka: sends the whole data set. */
    let produceAll: (() => Promise<void>) | undefined;
    let readOutputs: () => Promise<Map<string, unknown[]>>;
    if (kafka) {
      await kafka.prepareTopics(CRM_APPLICATION_ID, topic, partitions, example.outputTopics, topology);
      // Kafka: one producer sends the whole data set while the application starts and consumes it.
      produceAll = async () => {
        progress.log(`Producing ${formatCount(interactions.length)} records to '${topic}' on ${kafka.brokers.join(',')}...`);
        const producedAt = performance.now();
        await kafka.produce(
          topic,
          interactions.map((interaction) => ({ key: interaction.customerId, value: JSON.stringify(interaction), timestamp: interaction.timestamp })),
        );
        progress.log(`Produced in ${formatDuration(performance.now() - producedAt)}.`);
      };
      // Commits and metrics every second, rather than Kafka Streams' 30 seconds, so that the
      // progress display shows live lag and the run knows promptly when it has caught up.
      const settings = { applicationId: CRM_APPLICATION_ID, commitIntervalMs: 1000, metricsIntervalMs: 1000, ...(options.stateDir ? { stateDir: options.stateDir } : {}) };
      if ((options.streamThreads ?? 1) > 1) {
        app = streamThreads(example, options.kafka!, options.streamThreads!, settings);
      } else {
        const single = await createKafkaApplication(topology, options.kafka!, {
          ...settings,
          deserializationErrorHandler: ErrorHandlers.logAndContinue(),
          ...(options.dashboard ? { http: { port: options.dashboard.port, host: '127.0.0.1' } } : {}),
        });
        if (options.dashboard) dashboardUrl = () => `${single.httpAddress()!.url}/dashboard`;
        app = single;
      }
      readOutputs = () => kafka.readTopics(example.outputTopics);
    } else {
      const embedded = new EmbeddedStreams(topology, {
        applicationId: CRM_APPLICATION_ID,
        partitions,
        deserializationErrorHandler: deadLetters.observe(ErrorHandlers.logAndContinue()),
        ...(options.stateDir ? { persistentStores: { factory: (await import('@tributary/lmdb')).lmdbStores, directory: options.stateDir } } : {}),
      });
      app = embedded;
      if (options.dashboard) {
        dashboard = await serveDashboard(embedded, topology, { port: options.dashboard.port, applicationId: CRM_APPLICATION_ID, deadLetters });
        dashboardUrl = () => dashboard!.url;
      }
      // Embedded: records are produced while the application runs, so lag rises and falls as on a live topic.
      produce = async (batch) => {
        embedded.produce(topic, batch);
        await yieldToEventLoop();
      };
      readOutputs = async () => new Map(example.outputTopics.map((t) => [t, embedded.read(t).map((r) => r.value)]));
    }

    const tracker = new ProgressTracker(topic, () => interactions.length);
    const processingStarted = performance.now();
    // On Kafka the data set is produced while the application starts (joins its group) and runs.
    // With stream threads, once their group has settled (every thread running with tasks): a
    // task that moves to another thread mid-stream restores its stores and goes back to its last
    // commit, time the run would spend twice.
    const threaded = (options.streamThreads ?? 1) > 1;
    let producing = threaded ? undefined : produceAll?.();
    producing?.catch(() => undefined); // awaited below; this only keeps a failure from going unhandled meanwhile
    await app.start();
    if (threaded && produceAll) {
      await settled(app as StreamThreads);
      producing = produceAll();
    }
    if (dashboardUrl) progress.log(`Dashboard: ${dashboardUrl()}`);
    const timer = setInterval(() => progress.update(tracker.snapshot(app.metrics())), 100);
    let metrics: StreamsMetrics;
    try {
      if (producing) await producing;
      else await replayInteractions(interactions, produce, { batchSize: 2000 });
      metrics = await caughtUp(app, topic, interactions.length);
    } finally {
      clearInterval(timer);
    }
    const processingMs = performance.now() - processingStarted;
    progress.finish(tracker.snapshot(metrics, true));
    const written = options.kafka ? await recordsWritten(options.kafka, CRM_APPLICATION_ID, example.outputTopics) : undefined;
    const outputs = await readOutputs();
    const report: RunReport = {
      example,
      engine: kafka ? { kind: 'kafka', brokers: kafka.brokers, client: options.kafka!.client ?? 'kafkajs', streamThreads: options.streamThreads ?? 1 } : { kind: 'embedded', partitions },
      applicationId: CRM_APPLICATION_ID,
      data,
      metrics,
      processingMs,
      totalMs: performance.now() - started,
      outputs,
      inputTopic: topic,
      ...(written ? { written } : {}),
    };
    if (options.dashboard && dashboardUrl) await options.dashboard.keepOpen(dashboardUrl(), report);
    await dashboard?.close();
    await app.close();
    return report;
  } finally {
    await kafka?.disconnect();
  }
}

/**
 * The example on `threads` stream threads: each worker thread imports `exampleThread` (the
 * TypeScript source in a clone, where the demo runs through tsx and each thread registers tsx
 * first; the build when installed) and builds its own copy of the topology.
 */
function streamThreads(example: Example, target: KafkaTarget, threads: number, settings: { applicationId: string; commitIntervalMs: number; metricsIntervalMs: number; stateDir?: string }): StreamThreads {
  const fromSource = import.meta.url.endsWith('.ts');
  return new StreamThreads({
    ...settings,
    ...target.connection,
    brokers: target.brokers,
    ...(target.clientId ? { clientId: target.clientId } : {}),
    ...(target.client ? { client: target.client } : {}),
    topologyModule: new URL(fromSource ? './exampleThread.ts' : './exampleThread.js', import.meta.url),
    topologyData: { example: example.name } satisfies ExampleThreadData,
    numStreamThreads: threads,
    threadImports: fromSource ? [new URL('./registerTsx.mjs', import.meta.url)] : [],
  });
}

/**
 * Resolves once every stream thread is RUNNING with tasks of its own (the group has settled),
 * checked every 100 ms; rejects if the application stops first.
 */
async function settled(app: StreamThreads): Promise<void> {
  for (;;) {
    if (app.state === 'ERROR' || app.state === 'NOT_RUNNING') throw new Error(`the application stopped (state ${app.state}) before its group settled`);
    const threads = await app.metadataForLocalThreads();
    if (app.state === 'RUNNING' && threads.every((t) => t.threadState === 'RUNNING' && t.activeTasks.length > 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
