import type { StreamsMetrics, StreamsState } from '@tributary/core';
import { json, type Route } from '../http/Router';
import { dashboardPage } from './dashboardPage';
import type { DeadLetterEntry, DeadLetterLog } from './DeadLetterLog';
import type { HistoryView, MetricsHistory } from './MetricsHistory';
import type { TopologyDiagram } from './topologyDiagram';

/** One instance of the application and what the group assignment gave it. */
export interface DashboardInstance {
  /** `host:port` it serves on, or a name for an instance that advertises none. */
  readonly endpoint: string;
  /** This instance: the one serving the page. */
  readonly self: boolean;
  readonly tasks: readonly string[];
  /** `topic-partition` */
  readonly partitions: readonly string[];
  readonly stores: readonly string[];
}

/** What the dashboard shows, from a `KafkaStreams` or any other {@link StreamsApplication}. */
export interface DashboardSource {
  readonly applicationId: string;
  state(): StreamsState;
  metrics(): StreamsMetrics;
  readonly history: MetricsHistory;
  readonly topology: TopologyDiagram;
  readonly deadLetters: DeadLetterLog;
  /** The instances and their tasks (Kafka: from the group assignment; embedded: this process). */
  instances(): readonly DashboardInstance[];
}

/** What `GET /dashboard/api/live` answers; the page polls it every second. */
export interface DashboardLive {
  readonly applicationId: string;
  readonly state: StreamsState;
  /** The server's clock, ms since the epoch (the charts' right edge). */
  readonly now: number;
  readonly totals: {
    readonly consumed: number;
    readonly processed: number;
    /** Records consumed per second at the last sample. */
    readonly rate: number;
    readonly lag: number;
    readonly dropped: number;
    readonly commits: number;
  };
  readonly history: HistoryView;
  readonly restore: StreamsMetrics['restore'];
  readonly instances: readonly DashboardInstance[];
  readonly deadLetters: { readonly byReason: Readonly<Record<string, number>>; readonly recent: readonly DeadLetterEntry[] };
}

/** The figures of {@link DashboardLive}, read now. */
export function dashboardLive(source: DashboardSource, now = Date.now()): DashboardLive {
  const metrics = source.metrics();
  return {
    applicationId: source.applicationId,
    state: source.state(),
    now,
    totals: {
      consumed: metrics.consumed,
      processed: metrics.processed,
      rate: source.history.latest()?.rate ?? 0,
      lag: metrics.lag,
      dropped: metrics.droppedRecords,
      commits: metrics.commits,
    },
    history: source.history.view(),
    restore: metrics.restore,
    instances: source.instances(),
    deadLetters: { byReason: metrics.droppedByReason, recent: source.deadLetters.recent() },
  };
}

/**
 * `GET /dashboard`, one self-contained page (no script or style from elsewhere), and the JSON
 * it reads: `GET /dashboard/api/topology` once, `GET /dashboard/api/live` every second. Its
 * store browser queries the `/stores` routes of the same server.
 */
export function dashboardRoutes(source: DashboardSource): Route[] {
  const page = dashboardPage(source.applicationId);
  return [
    {
      method: 'GET',
      path: '/dashboard',
      description: 'the live dashboard (HTML)',
      handler: () => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page }),
    },
    {
      method: 'GET',
      path: '/dashboard/api/topology',
      description: "the dashboard's topology graph, laid out",
      handler: () => json(200, source.topology),
    },
    {
      method: 'GET',
      path: '/dashboard/api/live',
      description: "the dashboard's live figures: rate and lag history, restore, tasks, dead letters",
      handler: () => json(200, dashboardLive(source)),
    },
  ];
}
