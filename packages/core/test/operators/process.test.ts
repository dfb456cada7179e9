import { describe, expect, it } from 'vitest';
import { Stores, StreamsBuilder, type KeyValueStore, type Processor, type ProcessorContext } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Click {
  page: string;
}

/** Counts clicks per user in a store and forwards a running count. */
class ClickCounter implements Processor<string, Click, string, number> {
  private context!: ProcessorContext<string, number>;
  private store!: KeyValueStore<string, number>;

  init(context: ProcessorContext<string, number>): void {
    this.context = context;
    this.store = context.getStateStore<KeyValueStore<string, number>>('click-counts');
  }

  process(record: { key: string; value: Click; timestamp: number }): void {
    const count = (this.store.get(record.key) ?? 0) + 1;
    this.store.put(record.key, count, record.timestamp);
    this.context.forward({ key: record.key, value: count });
  }
}

describe('KStream.process', () => {
  it('gives the processor its stores and forwards what it emits, with the input timestamp and headers', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Click>('clicks')
      .process(() => new ClickCounter(), { stores: [Stores.keyValueStore('click-counts')] })
      .to('click-counts');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Click>('clicks');
    input.pipeInput('u1', { page: '/a' }, 10, { trace: 't' });
    input.pipeInput('u2', { page: '/a' }, 11);
    input.pipeInput('u1', { page: '/b' }, 12);
    expect(driver.createOutputTopic('click-counts').readRecordsToList()).toMatchObject([
      { key: 'u1', value: 1, timestamp: 10, headers: { trace: 't' } },
      { key: 'u2', value: 1, timestamp: 11 },
      { key: 'u1', value: 2, timestamp: 12 },
    ]);
    expect(driver.getKeyValueStore('click-counts').all()).toEqual([
      ['u1', 2],
      ['u2', 1],
    ]);
    // The store is logged to its changelog.
    expect(driver.topics.written('test-app-click-counts-changelog')).toHaveLength(3);
  });

  it('creates one processor per task and exposes the task, partition, application and record context', () => {
    const seen: string[] = [];
    const builder = new StreamsBuilder();
    builder.stream<string, Click>('clicks').process<never, never>(() => {
      let ctx: ProcessorContext<never, never>;
      return {
        init: (context) => {
          ctx = context;
          seen.push(`init ${context.taskId} ${context.partition} ${context.applicationId}`);
        },
        process: () => {
          const rc = ctx.recordContext()!;
          seen.push(`record ${rc.topic}/${rc.partition}@${rc.offset} t=${rc.timestamp} stream=${ctx.streamTime()}`);
        },
      };
    });
    using driver = new TopologyTestDriver(builder.build(), { applicationId: 'crm', partitions: { clicks: 2 } });
    expect(seen).toEqual(['init 0_0 0 crm', 'init 0_1 1 crm']);
    driver.createInputTopic<string, Click>('clicks').pipeRecords([
      { key: 'x', value: { page: '/' }, timestamp: 5 },
      { key: 'x', value: { page: '/' }, timestamp: 3 },
    ]);
    const partition = seen[2]!.match(/clicks\/(\d)/)![1];
    expect(seen.slice(2)).toEqual([`record clicks/${partition}@0 t=5 stream=5`, `record clicks/${partition}@1 t=3 stream=5`]);
  });

  it('forwards with an explicit timestamp and headers when given', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .process<string, number>(() => {
        let ctx: ProcessorContext<string, number>;
        return {
          init: (c) => (ctx = c),
          process: (r) => ctx.forward({ key: `${r.key}!`, value: r.value * 2, timestamp: 999, headers: { via: 'process' } }),
        };
      })
      .to('out');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, number>('in').pipeInput('k', 21, 1);
    expect(driver.createOutputTopic('out').readRecordsToList()).toMatchObject([{ key: 'k!', value: 42, timestamp: 999, headers: { via: 'process' } }]);
  });

  it('fires stream-time punctuators as stream time passes, aligned to 0 as Kafka Streams does', () => {
    const fired: number[] = [];
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .process<string, string>(() => {
        let ctx: ProcessorContext<string, string>;
        return {
          init: (c) => {
            ctx = c;
            c.schedule('10s', 'stream-time', (timestamp) => {
              fired.push(timestamp);
              ctx.forward({ key: 'tick', value: `at ${timestamp}` });
            });
          },
          process: () => {},
        };
      })
      .to('ticks');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', 1, 1_000); // the first record: Kafka Streams punctuates at once (schedule aligned to 0)
    input.pipeInput('a', 1, 9_999);
    input.pipeInput('a', 1, 10_000); // next due at 10 000
    input.pipeInput('a', 1, 5_000); // out of order: stream time stays at 10 000
    input.pipeInput('a', 1, 35_000); // fires once however far time jumped, realigned to 40 000
    input.pipeInput('a', 1, 39_999);
    input.pipeInput('a', 1, 40_000);
    expect(fired).toEqual([1_000, 10_000, 35_000, 40_000]);
    // A punctuator's forward takes the punctuation time as timestamp.
    expect(driver.createOutputTopic('ticks').readRecordsToList().map((r) => [r.value, r.timestamp])).toEqual([
      ['at 1000', 1_000],
      ['at 10000', 10_000],
      ['at 35000', 35_000],
      ['at 40000', 40_000],
    ]);
  });

  it('fires wall-clock punctuators only when the test moves the clock (advanceWallClockTime)', () => {
    const fired: number[] = [];
    const builder = new StreamsBuilder();
    builder.stream<string, number>('in').process(() => ({
      init: (c: ProcessorContext<never, never>) => {
        c.schedule(1_000, 'wall-clock-time', (timestamp) => fired.push(timestamp));
      },
      process: () => {},
    }));
    using driver = new TopologyTestDriver(builder.build(), { initialWallClockTime: 100_000 });
    driver.createInputTopic<string, number>('in').pipeInput('a', 1, 0);
    expect(fired).toEqual([]);
    driver.advanceWallClockTime(999);
    expect(fired).toEqual([]);
    driver.advanceWallClockTime(1);
    expect(fired).toEqual([101_000]);
    driver.advanceWallClockTime(5_500);
    expect(fired).toEqual([101_000, 106_500]);
    driver.advanceWallClockTime(500);
    expect(fired).toEqual([101_000, 106_500, 107_000]);
    expect(driver.wallClockTime).toBe(107_000);
  });

  it('lets a punctuator read and clear a store, and cancel itself', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('amounts')
      .process<string, number>(
        () => {
          let ctx: ProcessorContext<string, number>;
          let store: KeyValueStore<string, number>;
          let flushes = 0;
          return {
            init: (c) => {
              ctx = c;
              store = c.getStateStore('pending');
              const schedule = c.schedule('1m', 'wall-clock-time', () => {
                for (const [key, total] of store.all()) {
                  ctx.forward({ key, value: total });
                  store.delete(key);
                }
                if (++flushes === 2) schedule.cancel();
              });
            },
            process: (r) => store.put(r.key, (store.get(r.key) ?? 0) + r.value),
          };
        },
        { stores: [Stores.keyValueStore('pending', { logging: false })], name: 'batcher' },
      )
      .to('totals');
    using driver = new TopologyTestDriver(builder.build(), { initialWallClockTime: 0 });
    const input = driver.createInputTopic<string, number>('amounts');
    const output = driver.createOutputTopic<string, number>('totals');
    input.pipeInput('a', 1);
    input.pipeInput('b', 2);
    input.pipeInput('a', 3);
    expect(output.isEmpty()).toBe(true);
    driver.advanceWallClockTime(60_000);
    expect(output.readKeyValuesToList()).toEqual([
      ['a', 4],
      ['b', 2],
    ]);
    input.pipeInput('c', 5);
    driver.advanceWallClockTime(60_000);
    expect(output.readKeyValuesToList()).toEqual([['c', 5]]);
    input.pipeInput('d', 6);
    driver.advanceWallClockTime(60_000);
    expect(output.isEmpty()).toBe(true);
    expect(driver.getKeyValueStore('pending').get('d')).toBe(6);
  });

  it('connects a store by name, named in the description', () => {
    const builder = new StreamsBuilder();
    builder.stream('in').process(() => ({ process: () => {} }), { stores: [Stores.keyValueStore('s')], name: 'custom' });
    expect(builder.build().describe().toString()).toContain('Processor: custom (stores: [s])');
  });

  it('fails to build when a named store was never added', () => {
    const builder = new StreamsBuilder();
    builder.stream('in').process(() => ({ process: () => {} }), { stores: ['missing'] });
    expect(() => builder.build()).toThrow(/uses store 'missing', which was never added/);
  });

  it('marks the stream for repartitioning: the processor may change keys', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .process<string, number>(() => ({ process: () => {} }))
      .groupByKey()
      .count();
    expect(builder.build().subTopologies).toHaveLength(2);
  });
});
