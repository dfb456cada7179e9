import { parseJsonObject, stringArray, USER_DATA_VERSION } from './SubscriptionInfo';

/**
 * What the leader tells each member beside its partitions (Kafka Streams' `AssignmentInfo`,
 * simplified): the member's tasks, and, from version 2 on, which endpoint runs which task
 * across the whole group, so every instance can say which instance owns a key.
 */
export interface AssignmentInfo {
  readonly version: number;
  readonly tasks: readonly string[];
  /**
   * Advertised endpoint (`host:port`) -> the tasks of the members advertising it. Tasks of
   * members that advertise no endpoint are in no entry. `undefined` when the leader sent no
   * map (a version 1 leader during a rolling upgrade).
   */
  readonly hosts: ReadonlyMap<string, readonly string[]> | undefined;
  /** The tasks this member keeps a standby copy of (version 3; empty before). */
  readonly standbyTasks: readonly string[];
  /** Advertised endpoint -> the standby tasks of the members advertising it (version 3), for stale reads. */
  readonly standbyHosts: ReadonlyMap<string, readonly string[]> | undefined;
  /**
   * The leader held tasks back until their owners give them up (cooperative rebalancing):
   * every member rejoins as soon as it applied this assignment, so that the follow-up
   * rebalance hands them over without waiting for heartbeats (version 4).
   */
  readonly followUp: boolean;
  /**
   * This member's tasks that a member still in the group ran until this generation (version 5):
   * the member starts each once its previous owner's commit carries this generation's handover
   * mark, so nothing is processed twice and the task moves in this one rebalance.
   */
  readonly handedOver: readonly string[];
}

export function encodeAssignment(
  tasks: readonly string[],
  hosts: ReadonlyMap<string, readonly string[]>,
  standbyTasks: readonly string[] = [],
  standbyHosts: ReadonlyMap<string, readonly string[]> = new Map(),
  followUp = false,
  handedOver: readonly string[] = [],
): Buffer {
  return Buffer.from(
    JSON.stringify({
      version: USER_DATA_VERSION,
      tasks,
      hosts: Object.fromEntries(hosts),
      standbyTasks,
      standbyHosts: Object.fromEntries(standbyHosts),
      ...(followUp ? { followUp: true } : {}),
      ...(handedOver.length > 0 ? { handedOver } : {}),
    }),
  );
}

/** Reads any version's assignment user data; what cannot be read has no tasks and no map. */
export function decodeAssignment(userData: Buffer): AssignmentInfo {
  const info = parseJsonObject(userData);
  if (!info) return { version: 0, tasks: [], hosts: undefined, standbyTasks: [], standbyHosts: undefined, followUp: false, handedOver: [] };
  return {
    version: typeof info.version === 'number' ? info.version : 1,
    tasks: stringArray(info.tasks),
    hosts: endpointMap(info.hosts),
    standbyTasks: stringArray(info.standbyTasks),
    standbyHosts: endpointMap(info.standbyHosts),
    followUp: info.followUp === true,
    handedOver: stringArray(info.handedOver),
  };
}

function endpointMap(value: unknown): Map<string, string[]> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return new Map(Object.entries(value as Record<string, unknown>).map(([endpoint, tasks]) => [endpoint, stringArray(tasks)]));
}
