import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type StreamsApplication, type StreamsMetrics, type Topology } from '@tributary/core';
import { EmbeddedStreams } from '@tributary/core/embedded';
import { CliError, parseCommand, parsePositiveInteger, singlePositional } from '../args';
import { formatCount, formatDuration, table } from '../format';
import { CONNECTION_HELP, CONNECTION_OPTIONS, ENVIRONMENT_HELP, createKafkaApplication, requireKafkaTarget, type KafkaTarget } from '../kafka';
import { KafkaRunner } from '../KafkaRunner';
import { parseInputFiles, readJsonLines } from '../module/jsonLinesInput';
import { loadTopologyModule, type LoadedTopology } from '../module/loadTopologyModule';
import type { TopologyInputRecord } from '../module/TopologyModule';
import { ProgressDisplay, ProgressTracker } from '../progress';
import { mergeInputs, type TopicInput } from '../run/mergeInputs';
import { onStopSignal } from '../run/stopSignals';
import { sinkSerdes, sourceSerdes } from '../run/topicSerdes';

export const RUN_USAGE = `Usage: tributary run <module> [--input topic=FILE]... [--application-id ID] [--limit N]
                      [--partitions N] [--print]
       tributary run <module> --brokers host:port [--command-config FILE] [--application-id ID]
                      [--input topic=FILE]...

Runs the topology of a module (TypeScript or JavaScript; see 'tributary help module').

Embedded (no --brokers, no --command-config): on the in-process engine, over the records of
the --input files and the module's 'inputs' export, in event-time order; it stops when
every record is processed and prints what each topic received.

On Kafka (--brokers or --command-config): as a KafkaStreams application, until Ctrl-C
(SIGINT) or SIGTERM, which closes it cleanly (commit, leave the group). The --input files
are produced to their topics first; the module's 'inputs' are for embedded runs only.
Progress (records consumed, rate, lag) goes to stderr.

Options:
  --input topic=FILE      records for a topic: a JSON-lines file, one
                          {"key": ..., "value": ..., "timestamp": ...} a line (timestamp in
                          epoch ms, optional). Repeatable. Keys and values go through the
                          topic's serdes in the topology (default: string keys, JSON values)
  --application-id ID     overrides the module's options.applicationId. Embedded, it
                          defaults to the module's file name; on Kafka one is required
  --limit N               embedded: only the first N records of each input
  --partitions N          embedded: partitions of each topic. Defaults to 4
  --print                 embedded: print every output record as a JSON line on stdout
                          (the summary then goes to stderr)
${CONNECTION_HELP}
  -h, --help              this help

${ENVIRONMENT_HELP} They set how to connect; they
do not move a run to Kafka: --brokers or --command-config does.`;

const RUN_OPTIONS = {
  ...CONNECTION_OPTIONS,
  input: { type: 'string', multiple: true },
  'application-id': { type: 'string' },
  limit: { type: 'string' },
  partitions: { type: 'string' },
  print: { type: 'boolean' },
} as const;

/** `tributary run <module>`. */
export async function runCommand(args: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommand(args, RUN_OPTIONS, RUN_USAGE);
  if (values.help) {
    out.write(`${RUN_USAGE}\n`);
    return 0;
  }
  const specifier = singlePositional(positionals, 'module', RUN_USAGE);
  const limit = parsePositiveInteger(values.limit, '--limit');
  const partitions = parsePositiveInteger(values.partitions, '--partitions');
  const files = parseInputFiles(values.input);
  // Kafka only when asked on the command line: a variable left set must not choose it.
  const onKafka = values.brokers !== undefined || values['command-config'] !== undefined;
  if (onKafka && (limit !== undefined || partitions !== undefined || values.print)) {
    throw new CliError(`--limit, --partitions and --print are for embedded runs\n\n${RUN_USAGE}`, 2);
  }
  const target = onKafka ? await requireKafkaTarget(values, RUN_USAGE) : undefined;
  const module = await loadTopologyModule(specifier);
  const fileInputs = files.map(({ topic, file }) => ({ topic, records: readJsonLines(file) }));
  checkInputTopics(module.topology, fileInputs.map((i) => i.topic));
  const progress = new ProgressDisplay(err as NodeJS.WriteStream);
  if (target) {
    const applicationId = values['application-id'] ?? module.options.applicationId;
    if (!applicationId) throw new CliError(`a run on Kafka needs an application id: --application-id, or 'applicationId' in the module's options export`, 2);
    return runOnKafka(module, specifier, applicationId, target, fileInputs, progress, out);
  }
  const moduleInputs = Object.entries((await module.inputs()) ?? {}).map(([topic, records]) => ({ topic, records }));
  const inputs = [...moduleInputs.filter((m) => !files.some((f) => f.topic === m.topic)), ...fileInputs];
  if (inputs.length === 0) throw new CliError(`no input records for an embedded run: give --input topic=FILE, or export 'inputs' from the module\n\n${RUN_USAGE}`, 2);
  checkInputTopics(module.topology, inputs.map((i) => i.topic));
  const applicationId = values['application-id'] ?? module.options.applicationId ?? module.defaultApplicationId;
  const summaryOut = values.print ? err : out;
  return runEmbedded(module, specifier, applicationId, inputs.map((i) => (limit ? { topic: i.topic, records: take(i.records, limit) } : i)), { partitions: partitions ?? 4, print: values.print ? out : undefined, progress, summaryOut });
}

/** Every input must be a topic the topology reads: a typo would otherwise run to an empty result. */
function checkInputTopics(topology: Topology, topics: readonly string[]): void {
  const reads = topology.sourceTopics();
  for (const topic of topics) {
    if (!reads.includes(topic)) throw new CliError(`input for '${topic}', which the topology does not read (it reads: ${reads.join(', ') || 'no topic'})`, 2);
  }
}

async function* take<T>(records: Iterable<T> | AsyncIterable<T>, limit: number): AsyncGenerator<T> {
  let count = 0;
  for await (const record of records) {
    yield record;
    if (++count >= limit) return;
  }
}

interface EmbeddedRun {
  partitions: number;
  /** Where output records go as JSON lines, with --print. */
  print: NodeJS.WritableStream | undefined;
  progress: ProgressDisplay;
  summaryOut: NodeJS.WritableStream;
}

/** On the embedded engine: produce the inputs in event-time order while it processes, wait until it has caught up, print what it wrote. */
async function runEmbedded(module: LoadedTopology, specifier: string, applicationId: string, inputs: TopicInput[], run: EmbeddedRun): Promise<number> {
  const started = performance.now();
  const { topology, options } = module;
  const app = new EmbeddedStreams(topology, {
    applicationId,
    partitions: run.partitions,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.deserializationErrorHandler ? { deserializationErrorHandler: options.deserializationErrorHandler } : {}),
    ...(options.processingErrorHandler ? { processingErrorHandler: options.processingErrorHandler } : {}),
    ...(options.productionErrorHandler ? { productionErrorHandler: options.productionErrorHandler } : {}),
    ...(options.defaultKeySerde ? { defaultKeySerde: options.defaultKeySerde } : {}),
    ...(options.defaultValueSerde ? { defaultValueSerde: options.defaultValueSerde } : {}),
  });
  const produced = new Map<string, number>(inputs.map((i) => [i.topic, 0]));
  let total = 0;
  const tracker = new ProgressTracker(topology.sourceTopics(), () => total);
  let interrupted: NodeJS.Signals | undefined;
  const removeSignals = onStopSignal((signal) => {
    interrupted = signal;
    run.progress.log(`${signal}: stopping the run`);
  });
  run.progress.log(`Running ${specifier} on the embedded engine (application id ${applicationId}, ${run.partitions} partitions)...`);
  await app.start();
  const timer = setInterval(() => run.progress.update(tracker.snapshot(app.metrics())), 100);
  let metrics: StreamsMetrics;
  try {
    const serdes = new Map(inputs.map((i) => [i.topic, sourceSerdes(topology, i.topic, options)]));
    let batch: { topic: string; record: TopologyInputRecord }[] = [];
    const flush = async () => {
      for (const { topic, record } of batch) {
        const { keySerde, valueSerde } = serdes.get(topic)!;
        app.produce(topic, [{ key: record.key, value: record.value, ...(record.timestamp !== undefined ? { timestamp: record.timestamp } : {}), ...(record.headers ? { headers: { ...record.headers } } : {}) }], { keySerde, valueSerde });
        produced.set(topic, produced.get(topic)! + 1);
      }
      total += batch.length;
      batch = [];
      await yieldToEventLoop();
    };
    for await (const entry of mergeInputs(inputs)) {
      if (interrupted) break;
      batch.push(entry);
      if (batch.length >= 1000) await flush();
    }
    await flush();
    if (!interrupted) await Promise.race([app.whenCaughtUp(), untilInterrupted(() => interrupted)]);
    metrics = app.metrics();
  } catch (error) {
    throw new CliError(`the application failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearInterval(timer);
    removeSignals();
  }
  run.progress.finish(tracker.snapshot(metrics, true));
  const processingMs = performance.now() - started;
  const outputs = topology.sinkTopics().map((topic) => ({ topic, records: app.topics.has(topic) ? app.read(topic, sinkSerdes(topology, topic, options)) : [] }));
  await app.close();
  if (run.print) {
    for (const { topic, records } of outputs) {
      for (const r of records) run.print.write(`${JSON.stringify({ topic, key: r.key, value: r.value, timestamp: r.timestamp, partition: r.partition, offset: r.offset })}\n`);
    }
  }
  const lines = [
    '',
    `== ${specifier}: ${interrupted ? 'interrupted' : 'summary'} (embedded engine, ${run.partitions} partitions, application id ${applicationId}) ==`,
    '',
    table([['input topic', 'records'], ...[...produced].map(([topic, n]) => [topic, formatCount(n)])]),
    '',
    table([['output topic', 'records'], ...outputs.map(({ topic, records }) => [topic, formatCount(records.length)])]),
    '',
    table([
      ['records consumed', formatCount(metrics.consumed), 'incl. repartition topics'],
      ['consumption rate', `${formatCount(metrics.consumptionRate)}/s`, 'records consumed / elapsed time'],
      ['commits', formatCount(metrics.commits)],
      ['dropped records', formatCount(metrics.droppedRecords), Object.entries(metrics.droppedByReason).map(([r, n]) => `${r} ${formatCount(n)}`).join(', ')],
    ]),
    '',
    `Done in ${formatDuration(processingMs)}.`,
  ];
  run.summaryOut.write(`${lines.join('\n')}\n`);
  return interrupted ? 130 : 0;
}

/** Resolves once `interrupted()` turns true (checked every 100 ms). */
async function untilInterrupted(interrupted: () => unknown): Promise<void> {
  while (!interrupted()) await new Promise((resolve) => setTimeout(resolve, 100).unref());
}

/** On Kafka: produce the --input files, run KafkaStreams until a stop signal or a failure, close. */
async function runOnKafka(module: LoadedTopology, specifier: string, applicationId: string, target: KafkaTarget, inputs: TopicInput[], progress: ProgressDisplay, out: NodeJS.WritableStream): Promise<number> {
  const { topology, options } = module;
  if (inputs.length > 0) {
    const runner = await KafkaRunner.connect(target);
    try {
      for (const { topic, records } of inputs) {
        const { keySerde, valueSerde } = sourceSerdes(topology, topic, options);
        const serialized = (async function* () {
          for await (const r of records) {
            const headers = r.headers ? { ...r.headers } : {};
            yield {
              key: r.key === null || r.key === undefined ? null : keySerde.serialize(topic, r.key, headers),
              value: r.value === null ? null : valueSerde.serialize(topic, r.value, headers),
              ...(r.timestamp !== undefined ? { timestamp: r.timestamp } : {}),
              ...(r.headers ? { headers: r.headers } : {}),
            };
          }
        })();
        const count = await runner.produce(topic, serialized).catch((error: unknown) => {
          throw new CliError(`producing the --input records to '${topic}' failed: ${error instanceof Error ? error.message : String(error)}`);
        });
        progress.log(`Produced ${formatCount(count)} records to '${topic}'.`);
      }
    } finally {
      await runner.disconnect();
    }
  }

  let app: StreamsApplication;
  try {
    app = await createKafkaApplication(topology, target, {
      // Live lag for the progress display: log-end offsets every second unless the module says otherwise.
      metricsIntervalMs: 1000,
      ...options,
      applicationId,
      // The CLI closes the application on SIGINT and SIGTERM itself.
      handleSignals: false,
    });
  } catch (error) {
    throw new CliError(`${specifier}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const tracker = new ProgressTracker(topology.sourceTopics(), 'consumedPlusLag');
  let removeSignals = () => {};
  const stopped = new Promise<{ signal?: NodeJS.Signals; error?: Error }>((resolve) => {
    let lastError: Error | undefined;
    app.events.subscribe((event) => {
      if (event.type === 'error') lastError = event.error;
      if (event.type === 'state' && (event.to === 'ERROR' || event.to === 'NOT_RUNNING')) resolve({ error: lastError ?? new Error(`the application stopped (state ${event.to})`) });
    });
    removeSignals = onStopSignal((signal) => resolve({ signal }));
  });
  progress.log(`Running ${specifier} as application ${applicationId} on Kafka at ${target.brokers.join(',')} (${target.security}); Ctrl-C to stop.`);
  const started = performance.now();
  try {
    await app.start();
  } catch (error) {
    await app.close().catch(() => {});
    throw new CliError(`the application did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const timer = setInterval(() => progress.update(tracker.snapshot(app.metrics())), 1000);
  const { signal, error } = await stopped;
  clearInterval(timer);
  removeSignals();
  if (signal) progress.log(`${signal}: closing the application (commit, leave the group)...`);
  const metrics = app.metrics();
  await app.close();
  progress.finish(tracker.snapshot(metrics, true));
  const sources = new Set(topology.sourceTopics());
  const inputConsumed = metrics.partitions.filter((p) => sources.has(p.topic)).reduce((n, p) => n + p.consumed, 0);
  out.write(
    `Application ${applicationId} ${error ? 'failed' : 'closed'} after ${formatDuration(performance.now() - started)}: ` +
      `${formatCount(inputConsumed)} input records consumed (${formatCount(metrics.consumed)} with repartition topics), ${formatCount(metrics.commits)} commit${metrics.commits === 1 ? '' : 's'}, lag ${formatCount(metrics.lag)}.\n`,
  );
  if (error) throw new CliError(`the application failed: ${error.message}`);
  return 0;
}
