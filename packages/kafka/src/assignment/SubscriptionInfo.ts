/**
 * The version of the JSON user data Tributary members exchange in the consumer group
 * protocol. Version 1: a member's running tasks and its shutdown request; version 2 adds the
 * member's advertised endpoint (subscription) and the endpoint -> tasks map (assignment);
 * version 3 adds the state a member holds of tasks it does not run (subscription) and
 * standby tasks (assignment); version 4 adds whether the member rebalances cooperatively
 * (subscription) and whether the leader asks for a follow-up rebalance (assignment); version 5 adds
 * whether the member hands tasks over in one rebalance and whether it is leaving (subscription),
 * and the tasks handed over to a member (assignment). Each version only adds fields, and a decoder ignores what it does not know,
 * so members of either version read each other's user data (a rolling upgrade works both ways).
 */
export const USER_DATA_VERSION = 5;

/** What a member tells the leader when it joins (Kafka Streams' `SubscriptionInfo`, simplified). */
export interface SubscriptionInfo {
  readonly version: number;
  /** Tasks this member runs now: the leader keeps them here if it can (sticky). */
  readonly tasks: readonly string[];
  /** The member's uncaught-exception handler asked for the whole application to shut down. */
  readonly shutdownRequested?: boolean;
  /** `host:port` where this member answers interactive queries (Kafka Streams' `application.server`); version 2. */
  readonly endpoint?: string;
  /**
   * Task id -> the sum of the changelog offsets this member's copy of the task's state holds
   * (standby replicas, checkpoints on disk), for tasks it does not run; version 3.
   */
  readonly offsetSums?: ReadonlyMap<string, number>;
  /**
   * The member keeps its tasks while the group rebalances and gives up a task only when an
   * assignment leaves it out, then rejoins (cooperative rebalancing); version 4. The leader
   * holds a moving task back for one rebalance only when every member does this.
   */
  readonly cooperative?: boolean;
  /**
   * The member, cooperative, gives up a task by committing it with a handover mark, and starts
   * a task handed over from a member still in the group only once that mark is committed
   * (see `handoverMark.ts`); version 5. When every member does this, the leader gives a moving
   * task straight to its new owner instead of holding it back for a second rebalance.
   */
  readonly handover?: boolean;
  /**
   * The member is closing and asks for its tasks to be handed to the others while it goes on
   * processing them; it leaves the group once they have gone (version 5). The leader gives it
   * no task, unless every member is leaving.
   */
  readonly leaving?: boolean;
}

export function encodeSubscription(info: Omit<SubscriptionInfo, 'version'>): Buffer {
  const { tasks, shutdownRequested, endpoint, offsetSums, cooperative, handover, leaving } = info;
  return Buffer.from(
    JSON.stringify({
      version: USER_DATA_VERSION,
      tasks,
      ...(shutdownRequested ? { shutdownRequested: true } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...(offsetSums && offsetSums.size > 0 ? { offsetSums: Object.fromEntries(offsetSums) } : {}),
      ...(cooperative ? { cooperative: true } : {}),
      ...(handover ? { handover: true } : {}),
      ...(leaving ? { leaving: true } : {}),
    }),
  );
}

/** Reads any version's subscription; unreadable user data is a member without history (it still gets tasks). */
export function decodeSubscription(userData: Buffer): SubscriptionInfo {
  const info = parseJsonObject(userData);
  if (!info) return { version: USER_DATA_VERSION, tasks: [] };
  return {
    version: typeof info.version === 'number' ? info.version : USER_DATA_VERSION,
    tasks: stringArray(info.tasks),
    shutdownRequested: info.shutdownRequested === true,
    ...(typeof info.endpoint === 'string' && info.endpoint.length > 0 ? { endpoint: info.endpoint } : {}),
    ...(isObject(info.offsetSums) ? { offsetSums: numberEntries(info.offsetSums) } : {}),
    ...(info.cooperative === true ? { cooperative: true } : {}),
    ...(info.handover === true ? { handover: true } : {}),
    ...(info.leaving === true ? { leaving: true } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The entries of `value` whose values are finite numbers. */
function numberEntries(value: Record<string, unknown>): Map<string, number> {
  return new Map(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1])));
}

/** The user data as a JSON object, or `undefined` when it is empty or not one. */
export function parseJsonObject(userData: Buffer): Record<string, unknown> | undefined {
  if (userData.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(userData.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
}
