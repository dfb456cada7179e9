// One run of the counting topology on a system-test cluster: its topics (input and output
// stamped with the broker's append time, so output gaps are stalls measured by the broker),
// its instances, its input load, the wait until every input record is committed, and the
// verdict of verifyCounting.
import { uniqueName } from '../harness';
import type { AppEnv } from './AppInstance';
import type { CountingTopics } from './fixtures/topologies';
import { Fleet } from './Fleet';
import { InputLoad, type InputLoadOptions } from './InputLoad';
import type { KafkaCluster } from './KafkaCluster';
import { verifyCounting, type CountingVerdict } from './verifyCounting';

export type Guarantee = 'at_least_once' | 'exactly_once';

export interface CountingPipelineOptions {
  name: string;
  partitions: number;
  keys: number;
  guarantee: Guarantee;
}

const appendTime = { 'message.timestamp.type': 'LogAppendTime' };

export class CountingPipeline {
  readonly applicationId: string;
  load: InputLoad | undefined;

  private constructor(
    private readonly cluster: KafkaCluster,
    readonly topics: CountingTopics,
    readonly options: CountingPipelineOptions,
  ) {
    this.applicationId = uniqueName(`${options.name}-app`);
  }

  static async create(cluster: KafkaCluster, options: CountingPipelineOptions): Promise<CountingPipeline> {
    const topics = { input: uniqueName(`${options.name}-in`), output: uniqueName(`${options.name}-out`), counts: uniqueName(`${options.name}-counts`) };
    await cluster.createTopic(topics.input, options.partitions, appendTime);
    await cluster.createTopic(topics.output, options.partitions, appendTime);
    await cluster.createTopic(topics.counts, options.partitions);
    return new CountingPipeline(cluster, topics, options);
  }

  get exactlyOnce(): boolean {
    return this.options.guarantee === 'exactly_once';
  }

  /** Tasks of the topology: one per input partition. */
  get taskCount(): number {
    return this.options.partitions;
  }

  env(): AppEnv {
    return { APP_ID: this.applicationId, TOPOLOGY: 'counting', INPUT: this.topics.input, OUTPUT: this.topics.output, COUNTS: this.topics.counts, GUARANTEE: this.options.guarantee };
  }

  fleet(prefix = 'm'): Fleet {
    return new Fleet(this.cluster.brokers, this.env(), prefix);
  }

  startLoad(options: Omit<InputLoadOptions, 'keys'>): InputLoad {
    this.load = new InputLoad(this.cluster.kafka('tributary-system-load'), this.topics.input, { ...options, keys: this.options.keys });
    return this.load;
  }

  /**
   * Waits until the load has ended and the application committed every input offset.
   * Instances may fail meanwhile (the test decides what that means), but with none alive
   * for 10 s it gives up. The timeout error names the partitions behind and the live instances.
   */
  async waitUntilProcessed(fleet: Fleet, timeoutMs: number): Promise<void> {
    await this.load?.done;
    const { partitions } = this.options;
    let behind = '';
    let noneAliveSince: number | undefined;
    await fleet.waitUntil(
      async () => {
        // Nobody left to do the work (the test restarts instances within seconds when it wants to).
        if (fleet.alive().length > 0) noneAliveSince = undefined;
        else if (Date.now() - (noneAliveSince ??= Date.now()) > 10_000) throw new Error(`no instance alive to process the input:\n${fleet.describeFailures()}`);
        try {
          const [ends, committed] = await Promise.all([this.cluster.endOffsets(this.topics.input), this.cluster.committedOffsets(this.applicationId, this.topics.input, partitions)]);
          const lagging = ends.map((end, p) => ({ p, end, at: committed[p]! })).filter((x) => x.at < x.end);
          behind = lagging.map((x) => `partition ${x.p} committed ${x.at} of ${x.end}`).join(', ');
          return lagging.length === 0;
        } catch (error) {
          behind = `cannot ask the cluster: ${(error as Error).message}`;
          return false;
        }
      },
      { timeoutMs, failFast: false, description: () => `every input offset committed (${behind}); instances: ${fleet.status() || 'none alive'}` },
    );
  }

  async verify(): Promise<CountingVerdict> {
    return verifyCounting(this.cluster.kafka('tributary-system-verify'), this.topics, {
      partitions: this.options.partitions,
      keys: this.options.keys,
      produced: this.load?.produced ?? 0,
      exactlyOnce: this.exactlyOnce,
    });
  }
}
