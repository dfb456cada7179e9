import type { StreamsApplication, StreamsEvent, StreamsMetrics, StreamsState } from '@tributary/core';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { caughtUp } from '../src/run/caughtUp';

/** An application whose state, events and metrics the test sets by hand. */
function scriptedApp() {
  const events = new Subject<StreamsEvent>();
  let state: StreamsState = 'RUNNING';
  let metrics = { partitions: [{ topic: 'in', partition: 0, committedOffset: 0 }], lag: 5 } as unknown as StreamsMetrics;
  const app = {
    get state() {
      return state;
    },
    events: events.asObservable(),
    metrics: () => metrics,
  } as unknown as StreamsApplication;
  return {
    app,
    emit: (event: StreamsEvent) => events.next(event),
    moveTo: (to: StreamsState) => {
      const from = state;
      state = to;
      events.next({ type: 'state', from, to });
    },
    catchUp: (committed: number) => {
      metrics = { partitions: [{ topic: 'in', partition: 0, committedOffset: committed }], lag: 0 } as unknown as StreamsMetrics;
    },
  };
}

describe('caughtUp (what `tributary run --brokers` waits on)', () => {
  it('rejects with the failure when the application stops in ERROR, so the CLI exits non-zero', async () => {
    const { app, emit, moveTo } = scriptedApp();
    const waiting = caughtUp(app, 'in', 10);
    emit({ type: 'error', error: new Error('task 0_1 failed: bad record') });
    moveTo('ERROR');
    await expect(waiting).rejects.toThrow('task 0_1 failed: bad record');
  });

  it('goes on waiting after an error the application survived (a replaced task), and resolves once caught up', async () => {
    const { app, emit, catchUp } = scriptedApp();
    const waiting = caughtUp(app, 'in', 10);
    emit({ type: 'error', error: new Error('task 0_1 failed; replacing it') });
    await new Promise((r) => setTimeout(r, 250));
    catchUp(10);
    await expect(waiting).resolves.toMatchObject({ lag: 0 });
  });
});
