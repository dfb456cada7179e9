// What becomes of an application after a failure no error handler took care of (issue 8,
// items 4 and 5), on a real broker: the uncaught-exception handler's three answers, the exit
// code of a process whose application stopped, and start() misuse.
import { StreamsBuilder, StreamsError } from '@tributary/core';
import { KafkaStreams } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName, waitFor } from '../harness';
import { spawnChildApp } from './childApp';
import { taggingTopology } from './fixtures/topologies';
import { readJson, startApp, testOptions, waitForState } from './support';

const orders = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ key: `o${from + i}`, value: JSON.stringify({ id: from + i }) }));

describe('after a failure no error handler took care of', () => {
  it('by default the instance stops in ERROR and its process exits with code 1, not 0', async () => {
    const input = uniqueName('life-in');
    const output = uniqueName('life-out');
    await createTopic(input, 1);
    await createTopic(output, 1);
    await produce(input, orders(0, 20));
    const child = spawnChildApp({ APP_ID: uniqueName('life-app'), INPUT: input, OUTPUT: output, INSTANCE: 'poisoned', FAIL_ON_ID: '7' });
    const { code } = await child.exited;
    expect(child.last('state')?.to).toBe('ERROR');
    expect(String(child.last('error')?.message)).toContain('order 7 cannot be tagged');
    expect(code).toBe(1);
  });

  it("'replace_task': the task is created again from its last commit and the application goes on", async () => {
    const input = uniqueName('replace-in');
    const output = uniqueName('replace-out');
    await createTopic(input, 2);
    await createTopic(output, 2);
    await produce(input, orders(0, 200));
    let failuresLeft = 1;
    const b = new StreamsBuilder();
    b.stream<string, { id: number }>(input)
      .mapValues((order) => {
        if (order.id === 50 && failuresLeft-- > 0) throw new Error('the enrichment call timed out');
        return order;
      })
      .to(output);
    const errors: Error[] = [];
    await using app = await startApp(b.build(), { uncaughtExceptionHandler: () => 'replace_task' });
    app.events.subscribe((e) => e.type === 'error' && errors.push(e.error));
    const out = await readJson<{ id: number }>(output, 200);
    expect(new Set(out.map((m) => m.json.id)).size).toBe(200);
    await waitFor(() => errors.length === 1 && app.state === 'RUNNING', { timeoutMs: 30_000, description: () => `one error and RUNNING (${errors.length}, ${app.state})` });
    expect(errors[0]!.message).toContain('the enrichment call timed out');
    expect(app.assignedTasks()).toEqual(['0_0', '0_1']);
  });

  it("'shutdown_application': every instance of the application stops in ERROR", async () => {
    const input = uniqueName('shutdown-in');
    const output = uniqueName('shutdown-out');
    await createTopic(input, 4);
    await createTopic(output, 4);
    const applicationId = uniqueName('shutdown-app');
    const options = { applicationId, uncaughtExceptionHandler: () => 'shutdown_application' as const };
    await using a = await startApp(taggingTopology(input, output, 'a', 1_000), options);
    await using b = await startApp(taggingTopology(input, output, 'b', 1_000), options);
    await waitFor(() => a.assignedTasks().length === 2 && b.assignedTasks().length === 2, { timeoutMs: 60_000, description: 'both instances to own two tasks' });
    const bErrors: Error[] = [];
    b.events.subscribe((e) => e.type === 'error' && bErrors.push(e.error));
    // One poisoned record: whichever instance owns its partition asks the whole application to stop.
    await produce(input, [...orders(0, 50), { key: 'poison', value: JSON.stringify({ id: 1_000 }) }]);
    await waitForState(a, 'ERROR', 60_000);
    await waitForState(b, 'ERROR', 60_000);
    const messages = [...bErrors.map((e) => e.message)].join(' | ');
    expect(messages).toMatch(/order 1000 cannot be tagged|asked every instance to shut down/);
  });
});

describe('misuse', () => {
  it('a session timeout the broker refuses: start() rejects with the broker’s reason', async () => {
    const input = uniqueName('misuse-in');
    await createTopic(input, 1);
    const app = new KafkaStreams(taggingTopology(input, input, 'x'), testOptions({ sessionTimeoutMs: 1_000, heartbeatIntervalMs: 100 }));
    await expect(app.start()).rejects.toThrow(/session timeout|INVALID_SESSION_TIMEOUT/i);
    expect(app.state).toBe('ERROR');
  });

  it('a second start() on a running application rejects and starts no second consumer', async () => {
    const input = uniqueName('misuse-in');
    const output = uniqueName('misuse-out');
    await createTopic(input, 1);
    await createTopic(output, 1);
    await using app = await startApp(taggingTopology(input, output, 'x'));
    await expect(app.start()).rejects.toThrow(StreamsError);
    await expect(app.start()).rejects.toThrow(/already called/);
    await produce(input, orders(0, 5));
    const out = await readJson<{ id: number }>(output, 5);
    expect(out).toHaveLength(5);
  });
});
