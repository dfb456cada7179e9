import { parentPort, workerData } from 'node:worker_threads';
import { StreamsError, type Logger } from '@tributary/core';
import { KafkaStreams } from '../KafkaStreams';
import type { ThreadTopology } from './StreamThreadsOptions';
import { toThreadError, type FromStreamThread, type StreamThreadData, type ThreadError, type ToStreamThread } from './threadMessages';

/**
 * The program of one stream thread (a worker thread of `StreamThreads`): it imports the
 * topology module, builds the topology, and, when told to start, runs it as a `KafkaStreams` of its own, one
 * member of the application's consumer group with its own tasks, producer and stores. It logs
 * through the main thread's logger, forwards its application's events, answers the main
 * thread's status requests, and closes when told to.
 */

const port = parentPort;
if (!port) throw new StreamsError('threadProgram runs as a worker thread of StreamThreads, not as a program of its own');
const data = workerData as StreamThreadData;
const post = (message: FromStreamThread): void => port.postMessage(message);

/** Logs through the main thread, whose logger may not cross threads. */
const mainLogger: Logger = {
  debug: (message, extra) => log('debug', message, extra),
  info: (message, extra) => log('info', message, extra),
  warn: (message, extra) => log('warn', message, extra),
  error: (message, extra) => log('error', message, extra),
};

function log(level: 'debug' | 'info' | 'warn' | 'error', message: string, extra: Record<string, unknown> | undefined): void {
  const plain = extra && Object.fromEntries(Object.entries(extra).map(([key, value]) => [key, value instanceof Error ? toThreadError(value) : value]));
  try {
    post({ type: 'log', level, message, extra: plain });
  } catch {
    post({ type: 'log', level, message, extra: undefined });
  }
}

async function build(): Promise<KafkaStreams> {
  const exports = (await import(data.topologyModule)) as Record<string, unknown>;
  const create = exports[data.topologyExport];
  if (typeof create !== 'function') {
    throw new StreamsError(`the topology module ${data.topologyModule} has no function export '${data.topologyExport}' (it should return a Topology, or { topology, options })`);
  }
  const built = (await create({ threadName: data.threadName, data: data.topologyData })) as ThreadTopology;
  const { topology, options } = 'subTopologies' in built ? { topology: built, options: {} } : built;
  return new KafkaStreams(topology, { logger: mainLogger, ...data.options, ...options, clientId: data.threadName, handleSignals: false });
}

async function run(): Promise<void> {
  let app: KafkaStreams;
  try {
    app = await build();
  } catch (error) {
    post({ type: 'startFailed', error: toThreadError(error) });
    return;
  }
  let lastError: ThreadError | undefined;
  let failure: ThreadError | undefined;
  app.events.subscribe((event) => {
    if (event.type === 'error') {
      lastError = toThreadError(event.error);
      post({ type: 'event', event: { type: 'error', error: lastError } });
      return;
    }
    if (event.type === 'state' && event.to === 'ERROR') failure ??= lastError;
    post({ type: 'event', event });
  });
  let startAsked!: () => void;
  const told = new Promise<void>((resolve) => (startAsked = resolve));
  port!.on('message', (message: ToStreamThread) => {
    if (message.type === 'start') {
      startAsked();
    } else if (message.type === 'status') {
      post({ type: 'status', id: message.id, status: { state: app.state, metrics: app.metrics(), failure } });
    } else if (message.type === 'close') {
      void app.close(message.timeoutMs === undefined ? {} : { timeoutMs: message.timeoutMs }).finally(() => post({ type: 'closed' }));
    }
  });
  // The threads join the group together once all are built: a thread still loading its modules
  // would otherwise join a generation later, and take tasks over from one that already runs them.
  post({ type: 'built' });
  await told;
  if (app.state !== 'CREATED') return; // closed before it was told to start
  try {
    await app.start();
    post({ type: 'started', http: app.httpAddress()?.url });
  } catch (error) {
    failure ??= toThreadError(error);
    post({ type: 'startFailed', error: failure });
  }
}

void run();
