import type { Admin } from 'kafkajs';
import { createKafka, waitFor } from '../../harness';

/**
 * Watches an output topic's log-end offsets (summed over partitions) from outside the
 * application, as an independent reader sees its output: when the first record written after
 * {@link open} arrived, and when `count` of them have. Polls every 10 ms.
 */
export class OutputWatch {
  private polling = true;
  private firstAt: number | undefined;
  private latest = 0;
  private readonly loop: Promise<void>;

  private constructor(
    private readonly admin: Admin,
    private readonly topic: string,
    private readonly baseline: number,
  ) {
    this.latest = baseline;
    this.loop = this.poll();
  }

  /** Starts watching `topic` from its current end. */
  static async open(topic: string): Promise<OutputWatch> {
    const admin = createKafka({ clientId: 'tributary-bench-output-watch' }).admin();
    await admin.connect();
    return new OutputWatch(admin, topic, await endOffsetSum(admin, topic));
  }

  /** When (`performance.now()`) the first new record was seen; waits for it. */
  async firstRecordAt(timeoutMs = 600_000): Promise<number> {
    await waitFor(() => this.firstAt !== undefined, { timeoutMs, intervalMs: 5, description: `a record on ${this.topic}` });
    return this.firstAt!;
  }

  /** Waits until `count` records arrived since the watch opened. */
  async records(count: number, timeoutMs = 600_000): Promise<void> {
    await waitFor(() => this.latest - this.baseline >= count, { timeoutMs, intervalMs: 20, description: () => `${count} records on ${this.topic} (${this.latest - this.baseline})` });
  }

  async close(): Promise<void> {
    this.polling = false;
    await this.loop;
    await this.admin.disconnect();
  }

  private async poll(): Promise<void> {
    while (this.polling) {
      this.latest = await endOffsetSum(this.admin, this.topic);
      if (this.firstAt === undefined && this.latest > this.baseline) this.firstAt = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

export async function endOffsetSum(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
}
