import type { StreamsState } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { liveness, readiness, type HealthSource } from '../src/http/healthRoutes';

function source(state: StreamsState, tasks: { id: string; state: 'restoring' | 'running' }[] = [], failure?: Error): HealthSource {
  return { state: () => state, failure: () => failure, tasks: () => tasks, remainingRestoreRecords: () => 42 };
}

describe('liveness', () => {
  it('is live while starting, rebalancing, running and closing; not after a failure', () => {
    for (const state of ['CREATED', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING'] as const) expect(liveness(source(state)).live).toBe(true);
    expect(liveness(source('ERROR', [], new Error('task 0_1 failed')))).toEqual({ live: false, state: 'ERROR', error: 'task 0_1 failed' });
    // Closed after a failure: NOT_RUNNING, but the failure stands.
    expect(liveness(source('NOT_RUNNING', [], new Error('lost the broker')))).toEqual({ live: false, state: 'NOT_RUNNING', error: 'lost the broker' });
  });
});

describe('readiness', () => {
  it('is ready only when RUNNING with no task restoring', () => {
    expect(readiness(source('RUNNING', [{ id: '0_0', state: 'running' }]))).toEqual({ ready: true, state: 'RUNNING', tasks: { running: 1, restoring: [] } });
    expect(readiness(source('RUNNING', [{ id: '0_1', state: 'restoring' }, { id: '0_0', state: 'running' }]))).toEqual({
      ready: false,
      state: 'RUNNING',
      reason: 'tasks 0_1 are restoring their stores (42 changelog records to go)',
      tasks: { running: 1, restoring: ['0_1'] },
    });
    expect(readiness(source('REBALANCING'))).toMatchObject({ ready: false, reason: 'the application is REBALANCING, not RUNNING' });
    expect(readiness(source('ERROR'))).toMatchObject({ ready: false });
  });
});
