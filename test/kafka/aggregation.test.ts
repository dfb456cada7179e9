// Aggregation end to end on a real broker: groupBy + count through a repartition topic,
// internal topics created as planned, the changelog compacted, the store queryable; and a
// stateful application stopped and started again continues from its changelog.
import { StreamsBuilder, type Topology } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName } from '../harness';
import { latestByKey, listTopics, partitionCount, readJson, startApp, topicConfig, waitForProcessed, waitForState } from './support';

interface View {
  user: string;
  page: string;
}

function pageCounts(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, View>(input)
    .groupBy((_user, view) => view.page, { name: 'by-page' })
    .count({ name: 'page-views' })
    .toStream()
    .to(output);
  return builder.build();
}

const views = (n: number, from = 0): View[] => Array.from({ length: n }, (_, i) => ({ user: `u${(from + i) % 31}`, page: `p${(from + i) % 7}` }));

function expectedCounts(all: View[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of all) counts.set(v.page, (counts.get(v.page) ?? 0) + 1);
  return counts;
}

describe('aggregation on Kafka', () => {
  it('counts through a repartition topic into a compacted changelog, and answers interactive queries', async () => {
    const input = uniqueName('views');
    const output = uniqueName('page-counts');
    await createTopic(input, 3);
    await createTopic(output, 2);
    const batch = views(700);
    await produce(input, batch.map((v) => ({ key: v.user, value: JSON.stringify(v) })));
    await using app = await startApp(pageCounts(input, output));
    const id = app.applicationId;

    // Internal topics exist before anything is processed, sized by the plan.
    const topics = await listTopics();
    expect(topics).toContain(`${id}-by-page-repartition`);
    expect(topics).toContain(`${id}-page-views-changelog`);
    expect(await partitionCount(`${id}-by-page-repartition`)).toBe(3);
    expect(await partitionCount(`${id}-page-views-changelog`)).toBe(3);
    expect((await topicConfig(`${id}-page-views-changelog`))['cleanup.policy']).toBe('compact');
    expect((await topicConfig(`${id}-by-page-repartition`))['cleanup.policy']).toBe('delete');
    // Replayed records with old timestamps must not be deleted by time-based retention.
    expect((await topicConfig(`${id}-by-page-repartition`))['retention.ms']).toBe('-1');

    // Every input record passes twice: once from the input, once from the repartition topic.
    await waitForProcessed(app, 2 * batch.length);
    const expected = expectedCounts(batch);
    const out = await readJson<number>(output, batch.length);
    expect(latestByKey(out)).toEqual(expected);
    const store = app.store<string, number>('page-views');
    for (const [page, count] of expected) expect(store.get(page)).toBe(count);
    expect(store.all().map(([page]) => page)).toEqual([...expected.keys()].sort());

    const changelog = await readJson<number>(`${id}-page-views-changelog`, batch.length);
    expect(latestByKey(changelog)).toEqual(new Map([...expected].map(([k, v]) => [JSON.stringify(k), v])));
    expect(app.metrics().tasks.map((t) => t.id)).toEqual(['0_0', '0_1', '0_2', '1_0', '1_1', '1_2']);
  });

  it('stopped and started again, continues from its changelog with exactly the aggregates it had', async () => {
    const input = uniqueName('views');
    const output = uniqueName('page-counts');
    await createTopic(input, 3);
    await createTopic(output, 2);
    const applicationId = uniqueName('restart-app');
    const first = views(400);
    await produce(input, first.map((v) => ({ key: v.user, value: JSON.stringify(v) })));
    {
      await using app = await startApp(pageCounts(input, output), { applicationId });
      await waitForProcessed(app, 2 * first.length);
      expect(app.store<string, number>('page-views').get('p0')).toBe(expectedCounts(first).get('p0'));
    } // closed here: flushed and committed

    const second = views(300, 400);
    await produce(input, second.map((v) => ({ key: v.user, value: JSON.stringify(v) })));
    await using app = await startApp(pageCounts(input, output), { applicationId });
    const restores: { store: string; restored: number; total: number }[] = [];
    app.events.subscribe((e) => e.type === 'restore' && restores.push(e));
    await waitForState(app, 'RUNNING');
    await waitForProcessed(app, 2 * second.length);
    // The restarted instance processed only the new records: nothing was counted twice.
    expect(app.metrics().processed).toBe(2 * second.length);
    const expected = expectedCounts([...first, ...second]);
    const store = app.store<string, number>('page-views');
    for (const [page, count] of expected) expect(store.get(page)).toBe(count);
    const out = await readJson<number>(output, first.length + second.length);
    expect(latestByKey(out)).toEqual(expected);
    expect(app.metrics().restore.every((r) => r.store === 'page-views' && r.restored === r.total)).toBe(true);
    expect(app.metrics().restore.reduce((n, r) => n + r.total, 0)).toBeGreaterThanOrEqual(7);
  });
});
