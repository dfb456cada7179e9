import type { StreamsState } from '@tributary/core';
import { json, type Route } from './Router';

/** What liveness and readiness are judged from. */
export interface HealthSource {
  state(): StreamsState;
  /** The failure that stopped the application, if one did. */
  failure(): Error | undefined;
  /** The tasks this instance runs now, with their state. */
  tasks(): readonly { readonly id: string; readonly state: 'restoring' | 'running' | 'closed' }[];
  /** Changelog records still to restore across this instance's tasks. */
  remainingRestoreRecords(): number;
}

export interface Liveness {
  readonly live: boolean;
  readonly state: StreamsState;
  readonly error?: string;
}

export interface Readiness {
  readonly ready: boolean;
  readonly state: StreamsState;
  /** Why not ready. */
  readonly reason?: string;
  readonly tasks: { readonly running: number; readonly restoring: readonly string[] };
}

/**
 * Live unless the application failed: in `ERROR`, or `NOT_RUNNING` after a failure. An
 * orchestrator restarts an instance that is not live; one rebalancing or restoring is live.
 */
export function liveness(source: HealthSource): Liveness {
  const state = source.state();
  const failure = source.failure();
  const failed = state === 'ERROR' || (state === 'NOT_RUNNING' && failure !== undefined);
  return failed ? { live: false, state, ...(failure ? { error: failure.message } : {}) } : { live: true, state };
}

/** Ready when `RUNNING` with every assigned task restored: then it processes and answers queries for all its tasks. */
export function readiness(source: HealthSource): Readiness {
  const state = source.state();
  const tasks = source.tasks();
  const restoring = tasks.filter((t) => t.state === 'restoring').map((t) => t.id).sort();
  const counts = { running: tasks.filter((t) => t.state === 'running').length, restoring };
  if (state !== 'RUNNING') return { ready: false, state, reason: `the application is ${state}, not RUNNING`, tasks: counts };
  if (restoring.length > 0) {
    const reason = `tasks ${restoring.join(', ')} are restoring their stores (${source.remainingRestoreRecords()} changelog records to go)`;
    return { ready: false, state, reason, tasks: counts };
  }
  return { ready: true, state, tasks: counts };
}

/**
 * `GET /health` (liveness) and `GET /ready` (readiness): 200 or 503, with a JSON body that
 * says why, for an orchestrator's probes and for people.
 */
export function healthRoutes(source: HealthSource): Route[] {
  return [
    {
      method: 'GET',
      path: '/health',
      description: 'liveness: 200 unless the application failed',
      handler: () => {
        const live = liveness(source);
        return json(live.live ? 200 : 503, { status: live.live ? 'UP' : 'DOWN', ...live });
      },
    },
    {
      method: 'GET',
      path: '/ready',
      description: 'readiness: 200 when RUNNING with every task restored',
      handler: () => {
        const ready = readiness(source);
        return json(ready.ready ? 200 : 503, ready);
      },
    },
  ];
}
