import { describe, expect, it } from 'vitest';
import { StreamsBuilder, TopologyError, type KStream } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Interaction {
  kind: 'purchase' | 'view' | 'refund' | 'other';
  amount: number;
}

const pipeAll = (driver: TopologyTestDriver) => {
  const input = driver.createInputTopic<string, Interaction>('interactions');
  input.pipeInput('1', { kind: 'purchase', amount: 10 });
  input.pipeInput('2', { kind: 'view', amount: 0 });
  input.pipeInput('3', { kind: 'refund', amount: -5 });
  input.pipeInput('4', { kind: 'other', amount: 0 });
  input.pipeInput('5', { kind: 'purchase', amount: 1 });
};

describe('KStream.split', () => {
  it('sends each record to the first branch whose predicate matches, the rest to the default branch', () => {
    const builder = new StreamsBuilder();
    const branches = builder
      .stream<string, Interaction>('interactions')
      .split({ name: 'kind-' })
      .branch((_k, i) => i.kind === 'purchase', { name: 'purchases' })
      .branch((_k, i) => i.amount <= 0, { name: 'free' })
      .branch((_k, i) => i.kind === 'view', { name: 'views' })
      .defaultBranch({ name: 'rest' });
    expect(Object.keys(branches)).toEqual(['kind-purchases', 'kind-free', 'kind-views', 'kind-rest']);
    branches['kind-purchases']!.to('purchases');
    branches['kind-free']!.to('free');
    branches['kind-views']!.to('views');
    branches['kind-rest']!.to('rest');
    using driver = new TopologyTestDriver(builder.build());
    pipeAll(driver);
    const keys = (topic: string) => driver.createOutputTopic(topic).readKeyValuesToList().map(([k]) => k);
    expect(keys('purchases')).toEqual(['1', '5']);
    // 'view' has amount 0: the earlier 'free' branch takes it; 'views' gets nothing.
    expect(keys('free')).toEqual(['2', '3', '4']);
    expect(keys('views')).toEqual([]);
    expect(keys('rest')).toEqual([]);
  });

  it('names unnamed branches by their 1-based index and the default branch 0, after the split name', () => {
    const builder = new StreamsBuilder();
    const branches = builder
      .stream<string, Interaction>('interactions')
      .split({ name: 'by-kind-' })
      .branch((_k, i) => i.kind === 'purchase')
      .branch((_k, i) => i.kind === 'view')
      .defaultBranch();
    expect(Object.keys(branches)).toEqual(['by-kind-1', 'by-kind-2', 'by-kind-0']);
  });

  it('prefixes generated names with the KSTREAM-BRANCH- splitter name, and burns an index per branch as Kafka Streams does', () => {
    const builder = new StreamsBuilder();
    const branches = builder
      .stream<string, Interaction>('interactions')
      .split()
      .branch((_k, i) => i.kind === 'purchase')
      .defaultBranch();
    expect(Object.keys(branches)).toEqual(['KSTREAM-BRANCH-00000000011', 'KSTREAM-BRANCH-00000000010']);
    branches['KSTREAM-BRANCH-00000000011']!.to('purchases');
    // source 0, splitter 1, branch burns 2, default burns 3: the sink is 4.
    expect(builder.build().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [interactions])',
        '      --> KSTREAM-BRANCH-0000000001',
        '    Processor: KSTREAM-BRANCH-0000000001 (stores: [])',
        '      --> KSTREAM-BRANCH-00000000011, KSTREAM-BRANCH-00000000010',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-BRANCH-00000000011 (stores: [])',
        '      --> KSTREAM-SINK-0000000004',
        '      <-- KSTREAM-BRANCH-0000000001',
        '    Processor: KSTREAM-BRANCH-00000000010 (stores: [])',
        '      --> none',
        '      <-- KSTREAM-BRANCH-0000000001',
        '    Sink: KSTREAM-SINK-0000000004 (topic: purchases)',
        '      <-- KSTREAM-BRANCH-00000000011',
        '',
        '',
      ].join('\n'),
    );
  });

  it('drops records no predicate matched when there is no default branch, and counts them complete', () => {
    const builder = new StreamsBuilder();
    const branches = builder
      .stream<string, Interaction>('interactions')
      .split({ name: 's-' })
      .branch((_k, i) => i.kind === 'purchase', { name: 'p' })
      .noDefaultBranch();
    expect(Object.keys(branches)).toEqual(['s-p']);
    branches['s-p']!.to('purchases');
    using driver = new TopologyTestDriver(builder.build());
    pipeAll(driver);
    expect(driver.createOutputTopic('purchases').readKeyValuesToList().map(([k]) => k)).toEqual(['1', '5']);
    expect(driver.committedOffsets().get('interactions')?.get(0)).toBe(5);
  });

  it('runs each predicate at most once per record, stopping at the first match', () => {
    const calls: string[] = [];
    const builder = new StreamsBuilder();
    builder
      .stream<string, Interaction>('interactions')
      .split()
      .branch((k) => (calls.push(`first ${k}`), k === '1'))
      .branch((k) => (calls.push(`second ${k}`), true))
      .noDefaultBranch();
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Interaction>('interactions');
    input.pipeInput('1', { kind: 'view', amount: 0 });
    input.pipeInput('2', { kind: 'view', amount: 0 });
    expect(calls).toEqual(['first 1', 'first 2', 'second 2']);
  });

  it('builds on a branch in place with withChain; a chain that returns nothing leaves the branch out of the result', () => {
    const builder = new StreamsBuilder();
    const branches = builder
      .stream<string, Interaction>('interactions')
      .split({ name: 'c-' })
      .branch((_k, i) => i.kind === 'purchase', { name: 'big', withChain: (s: KStream<string, Interaction>) => s.filter((_k, i) => i.amount > 5) })
      .branch((_k, i) => i.kind === 'view', { withChain: (s) => void s.to('views') })
      .defaultBranch({ withChain: (s) => s.mapValues((i) => ({ ...i, amount: 0 })) });
    expect(Object.keys(branches)).toEqual(['c-big', 'c-0']);
    branches['c-big']!.to('big-purchases');
    branches['c-0']!.to('rest');
    using driver = new TopologyTestDriver(builder.build());
    pipeAll(driver);
    expect(driver.createOutputTopic('big-purchases').readKeyValuesToList().map(([k]) => k)).toEqual(['1']);
    expect(driver.createOutputTopic('views').readKeyValuesToList().map(([k]) => k)).toEqual(['2']);
    expect(driver.createOutputTopic<string, Interaction>('rest').readValuesToList()).toEqual([
      { kind: 'refund', amount: 0 },
      { kind: 'other', amount: 0 },
    ]);
  });

  it('works in several tasks at once (one splitter choice per task)', () => {
    const builder = new StreamsBuilder();
    const branches = builder
      .stream<string, number>('numbers')
      .split({ name: 'n-' })
      .branch((_k, v) => v % 2 === 0, { name: 'even' })
      .defaultBranch({ name: 'odd' });
    branches['n-even']!.to('even');
    branches['n-odd']!.to('odd');
    using driver = new TopologyTestDriver(builder.build(), { partitions: { numbers: 4 } });
    const input = driver.createInputTopic<string, number>('numbers');
    for (let i = 0; i < 40; i++) input.pipeInput(`k${i}`, i);
    expect(driver.createOutputTopic<string, number>('even').readValuesToList().sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i * 2),
    );
    expect(driver.createOutputTopic<string, number>('odd').readValuesToList()).toHaveLength(20);
  });

  it('leaves no trace of a branch rejected for its duplicate name', () => {
    const builder = new StreamsBuilder();
    const split = builder.stream<string, number>('in').split({ name: 'x-' });
    split.branch((_k, v) => v > 10, { name: 'big' });
    expect(() => split.branch(() => true, { name: 'big' })).toThrow(TopologyError);
    const branches = split.defaultBranch({ name: 'small' });
    branches['x-big']!.to('big');
    branches['x-small']!.to('small');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', 1);
    input.pipeInput('b', 20);
    expect(driver.createOutputTopic('small').readValuesToList()).toEqual([1]);
    expect(driver.createOutputTopic('big').readValuesToList()).toEqual([20]);
  });

  it('rejects branches after the end, duplicate names and predicates that are not functions', () => {
    const builder = new StreamsBuilder();
    const split = builder.stream('in').split({ name: 'x-' });
    split.branch(() => true, { name: 'a' });
    expect(() => split.branch(() => true, { name: 'a' })).toThrow(/a branch named 'x-a' already exists/);
    expect(() => split.branch(42 as never)).toThrow(TopologyError);
    split.noDefaultBranch();
    expect(() => split.branch(() => true)).toThrow(/branch\(\) after defaultBranch\(\) or noDefaultBranch\(\)/);
    expect(() => split.defaultBranch()).toThrow(TopologyError);
  });
});
