// The input of the counting topology, produced at a steady rate as an upstream service
// would: ids 0, 1, 2, ... with key `k<id % keys>` and value `{"id":<id>}`, through a KafkaJS
// producer (idempotent, acks=all, Java's murmur2 partitioner). A send that fails is sent
// again by a new producer until acknowledged, so every id below `produced` was acknowledged;
// a resend may write some records twice, which is why the checks read the input topic itself.
import { Partitioners, type Kafka, type Producer } from 'kafkajs';

export interface InputLoadOptions {
  ratePerSec: number;
  keys: number;
  /** Stop after this many ids; without it, produce until stop(). */
  total?: number;
  /** Ids produced at once, before the rate applies (input that waits for the application). Defaults to `0`. */
  backlog?: number;
  /** After the backlog, wait for release() before producing the rest. Defaults to `false`. */
  holdAfterBacklog?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class InputLoad {
  /** Ids 0 .. produced-1 are acknowledged. */
  produced = 0;
  /** Sends that failed and were sent again. */
  resends = 0;
  /** The first errors of failed sends. */
  readonly errors: string[] = [];
  /** Resolves when the load ended (total reached or stopped); never rejects. */
  readonly done: Promise<void>;
  private stopping = false;
  private onRelease: () => void = () => {};
  private readonly released: Promise<void>;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly options: InputLoadOptions,
  ) {
    this.released = options.holdAfterBacklog ? new Promise((resolve) => (this.onRelease = resolve)) : Promise.resolve();
    this.done = this.run().catch((error: Error) => {
      this.errors.push(`load stopped: ${error.message}`);
    });
  }

  static key(id: number, keys: number): string {
    return `k${id % keys}`;
  }

  /** Produces the rest of the input, at the rate, after a held backlog. */
  release(): void {
    this.onRelease();
  }

  /** Resolves once `count` ids are acknowledged (or the load ended). */
  async until(count: number): Promise<void> {
    let ended = false;
    void this.done.then(() => (ended = true));
    while (this.produced < count && !ended) await sleep(20);
  }

  /** Stops after the send in progress. */
  stop(): Promise<void> {
    this.stopping = true;
    this.onRelease();
    return this.done;
  }

  private async run(): Promise<void> {
    const { ratePerSec, keys, total = Number.POSITIVE_INFINITY, backlog = 0 } = this.options;
    const chunk = Math.max(50, Math.round(ratePerSec / 20));
    let rateFrom = 0;
    let producer = await this.connect();
    try {
      while (!this.stopping && this.produced < total) {
        if (this.produced >= backlog && !rateFrom) {
          await this.released;
          rateFrom = Date.now();
          continue;
        }
        const due = Math.min(total, rateFrom ? backlog + Math.floor(((Date.now() - rateFrom) / 1_000) * ratePerSec) : backlog);
        if (due <= this.produced) {
          await sleep(10);
          continue;
        }
        const from = this.produced;
        const n = Math.min(rateFrom ? chunk : 2_000, due - from);
        const messages = Array.from({ length: n }, (_, i) => ({ key: InputLoad.key(from + i, keys), value: `{"id":${from + i}}` }));
        try {
          await producer.send({ topic: this.topic, messages, acks: -1 });
          this.produced += n;
        } catch (error) {
          this.resends++;
          if (this.errors.length < 20) this.errors.push(`${new Date().toISOString()} ids ${from}..${from + n - 1}: ${(error as Error).message}`);
          await producer.disconnect().catch(() => undefined);
          await sleep(250);
          producer = await this.connect();
        }
      }
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  /** A connected producer; retries while the cluster is unreachable (a broker fault test). */
  private async connect(): Promise<Producer> {
    for (;;) {
      const producer = this.kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      try {
        await producer.connect();
        return producer;
      } catch (error) {
        if (this.errors.length < 20) this.errors.push(`connect: ${(error as Error).message}`);
        if (this.stopping) throw error;
        await sleep(500);
      }
    }
  }
}
