import { kGetApi, type Consumer } from '@platformatic/kafka';

type GetApi = (name: string, callback: (error: Error | null, api: unknown) => void) => void;

/** The group requests a member can hold back, and what each waits for (nothing when `undefined`). */
export interface GroupRequestHolds {
  readonly Heartbeat?: () => Promise<unknown> | undefined;
  readonly JoinGroup?: () => Promise<unknown> | undefined;
}

/**
 * Makes the consumer's heartbeats and JoinGroup requests wait for what the application is
 * doing (at most `maxHoldMs` each, so that a stuck commit cannot cost the member its session).
 *
 * `@platformatic/kafka` rejoins the group by itself as soon as a heartbeat answers that the
 * group rebalances, whatever the application is doing, and a JoinGroup occupies the member's
 * connection to the coordinator until the rebalance completes (a broker answers one
 * connection's requests in order): a commit sent after it waits out the whole rebalance.
 * Kafka's Java consumer rejoins from `poll()`, after the application's rebalance callback
 * returned; holding these two requests gives this client the same order:
 * - the commit of what a member processed goes out before its JoinGroup;
 * - a cooperative member committing the partitions it gives up (`onRevoked`) does not hear
 *   of the next rebalance, and so cannot rejoin, before that commit is in: once every member
 *   has rejoined, the partitions could go to their new owner before the commit lands.
 */
export function holdGroupRequests(consumer: Consumer, holds: GroupRequestHolds, maxHoldMs: number): void {
  const client = consumer as unknown as Record<typeof kGetApi, GetApi>;
  const getApi = client[kGetApi].bind(consumer);
  client[kGetApi] = (name, callback) => {
    const pending = name === 'Heartbeat' || name === 'JoinGroup' ? holds[name]?.() : undefined;
    if (pending === undefined) {
      getApi(name, callback);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxHoldMs)));
    void Promise.race([pending.then(() => undefined, () => undefined), bound]).then(() => {
      clearTimeout(timer);
      getApi(name, callback);
    });
  };
}
