import { kGetApi, type Consumer } from '@platformatic/kafka';

type GetApi = (name: string, callback: (error: Error | null, api: unknown) => void) => void;

/**
 * Makes the consumer's heartbeats wait while `hold()` returns a promise (at most `maxHoldMs`).
 *
 * `@platformatic/kafka` rejoins the group by itself as soon as a heartbeat answers that the
 * group rebalances, whatever the application is doing. A cooperative member that is
 * committing the partitions it gives up (`onRevoked`) must not rejoin before that commit
 * reaches the coordinator: once every member has rejoined, the coordinator refuses commits
 * of the generation that is ending (REBALANCE_IN_PROGRESS, then ILLEGAL_GENERATION), and the
 * partitions move to their new owner with their progress uncommitted, to be processed twice.
 * Kafka's Java consumer cannot rejoin during its revocation callback, because it rejoins from
 * `poll()`; holding the heartbeat (the only path by which the client learns of the
 * rebalance while it stands still) gives this client the same order. The bound keeps a
 * stuck commit from costing the member its session.
 */
export function holdHeartbeats(consumer: Consumer, hold: () => Promise<unknown> | undefined, maxHoldMs: number): void {
  const client = consumer as unknown as Record<typeof kGetApi, GetApi>;
  const getApi = client[kGetApi].bind(consumer);
  client[kGetApi] = (name, callback) => {
    const pending = name === 'Heartbeat' ? hold() : undefined;
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
