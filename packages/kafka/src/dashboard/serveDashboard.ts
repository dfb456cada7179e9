import { consoleLogger, type Logger, type StreamsApplication, type Topology } from '@tributary/core';
import type { Subscription } from 'rxjs';
import { Router } from '../http/Router';
import { StreamsHttpServer, type HttpAddress } from '../http/StreamsHttpServer';
import { dashboardRoutes } from './dashboardRoutes';
import { DeadLetterLog } from './DeadLetterLog';
import { localStoreRoutes } from './localStoreRoutes';
import { MetricsHistory, type MetricsHistoryOptions } from './MetricsHistory';
import { topologyDiagram } from './topologyDiagram';

export interface ServeDashboardOptions {
  /** The port to listen on; `0` lets the system choose one (read it from `address`). Required. */
  readonly port: number;
  /** The address to listen on. Defaults to `'127.0.0.1'`: this machine only. */
  readonly host?: string;
  /**
   * The application's id: the page's title, and the prefix of its repartition and changelog
   * topics in the graph (as the runtime names them). Defaults to the application's
   * `applicationId` property when it has one; otherwise the title says `application` and the
   * graph shows internal topics as declared.
   */
  readonly applicationId?: string;
  /**
   * Where the dead letters come from: pass the log whose `observe()` wraps the application's
   * error handlers. Defaults to a new log, which sees only the application's `error` events.
   */
  readonly deadLetters?: DeadLetterLog;
  /** How often rate and lag are sampled, and how much is kept. Defaults to every second, 5 minutes. */
  readonly history?: MetricsHistoryOptions;
  /** Defaults to warnings and errors on stderr (`consoleLogger()`). */
  readonly logger?: Logger;
}

/** A dashboard being served; `await using` closes it. */
export interface DashboardServer extends AsyncDisposable {
  readonly address: HttpAddress;
  /** The page: `<address.url>/dashboard`. */
  readonly url: string;
  /** Stops the server and the sampling (the application goes on). */
  close(): Promise<void>;
}

/**
 * Serves the dashboard of any {@link StreamsApplication} (the embedded engine, say) on its
 * own HTTP server: the page, its JSON, and the key-value store routes its store browser
 * uses. A `KafkaStreams` with the `http` option serves the same page on its own server.
 *
 * ## Example
 * ```ts
 * import { EmbeddedStreams } from '@tributary/core/embedded';
 * import { serveDashboard } from '@tributary/kafka';
 *
 * const app = new EmbeddedStreams(topology, { applicationId: 'crm' });
 * await app.start();
 * await using dashboard = await serveDashboard(app, topology, { port: 8080, applicationId: 'crm' });
 * console.log(`dashboard at ${dashboard.url}`);
 * ```
 */
export async function serveDashboard(app: StreamsApplication, topology: Topology, options: ServeDashboardOptions): Promise<DashboardServer> {
  const applicationId = options.applicationId ?? (app as Partial<{ applicationId: string }>).applicationId;
  const deadLetters = options.deadLetters ?? new DeadLetterLog();
  const history = new MetricsHistory(() => app.metrics(), options.history);
  const storeNames = [...topology.stores.values()].filter((s) => !s.hidden).map((s) => s.name).sort();
  const router = new Router().add(
    ...dashboardRoutes({
      applicationId: applicationId ?? 'application',
      state: () => app.state,
      metrics: () => app.metrics(),
      history,
      topology: topologyDiagram(topology, applicationId === undefined ? {} : { applicationId }),
      deadLetters,
      // One process holds every task: its partitions are the ones it consumes.
      instances: () => [
        {
          endpoint: 'this process',
          self: true,
          tasks: [],
          partitions: (history.latest()?.partitions ?? []).map((p) => `${p.topic}-${p.partition}`),
          stores: storeNames,
        },
      ],
    }),
    ...localStoreRoutes(app, topology),
  );
  const server = new StreamsHttpServer(router, options.logger ?? consoleLogger());
  const address = await server.listen(options.port, options.host ?? '127.0.0.1');
  let errors: Subscription | undefined;
  try {
    errors = deadLetters.follow(app.events);
  } catch {
    // An application whose events cannot be followed still gets its dashboard.
  }
  history.start();
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      history.stop();
      errors?.unsubscribe();
      await server.close();
    })());
  return { address, url: `${address.url}/dashboard`, close, [Symbol.asyncDispose]: close };
}
