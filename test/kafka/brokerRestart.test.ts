// The broker dies (SIGKILL) and comes back mid-stream: the application rides it out and
// loses nothing. Needs the local cluster of tools/kafka (the test restarts its node 1; in
// KAFKA_RUN_DIR if set), so it is skipped when KAFKA_BROKERS points elsewhere.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StreamsBuilder } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { brokers, createTopic, killBrokerNode, produce, repoRoot, startBrokerNode, uniqueName, waitFor } from '../harness';
import { readUntil, startApp, waitForState } from './support';

const brokersFile = join(process.env.KAFKA_RUN_DIR ?? join(repoRoot, 'tools', 'kafka', 'run'), 'brokers');
const localCluster = existsSync(brokersFile) && readFileSync(brokersFile, 'utf8').trim() === brokers().join(',');

const chunk = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ key: `o${from + i}`, value: JSON.stringify({ id: from + i }) }));

describe.skipIf(!localCluster)('a broker restart', () => {
  it('is ridden out: processing resumes and no record is lost', async () => {
    const input = uniqueName('restart-in');
    const output = uniqueName('restart-out');
    await createTopic(input, 3);
    await createTopic(output, 3);
    const builder = new StreamsBuilder();
    builder
      .stream<string, { id: number }>(input)
      .mapValues((o) => ({ id: o.id, seen: true }))
      .to(output);
    await using app = await startApp(builder.build());
    const states: string[] = [];
    app.events.subscribe((e) => e.type === 'state' && states.push(e.to));
    await produce(input, chunk(0, 20_000));
    await waitFor(() => app.metrics().processed > 2_000, { timeoutMs: 30_000, description: 'processing to start' });

    await killBrokerNode(1);
    await startBrokerNode(1);
    await produce(input, chunk(20_000, 20_000));

    const ids = new Set<number>();
    let scanned = 0;
    await readUntil<{ id: number }>(
      output,
      (messages) => {
        for (; scanned < messages.length; scanned++) ids.add(messages[scanned]!.json.id);
        return ids.size >= 40_000;
      },
      { description: 'all 40000 ids on the output' },
    );
    expect(ids.size).toBe(40_000);
    await waitForState(app, 'RUNNING').catch((error: Error) => {
      throw new Error(`${error.message}; states: ${states.join(' -> ')}`, { cause: error });
    });
    expect(states).not.toContain('ERROR');
  });
});
