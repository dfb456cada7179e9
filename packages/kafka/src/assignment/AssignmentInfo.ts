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
}

export function encodeAssignment(tasks: readonly string[], hosts: ReadonlyMap<string, readonly string[]>): Buffer {
  return Buffer.from(JSON.stringify({ version: USER_DATA_VERSION, tasks, hosts: Object.fromEntries(hosts) }));
}

/** Reads any version's assignment user data; what cannot be read has no tasks and no map. */
export function decodeAssignment(userData: Buffer): AssignmentInfo {
  const info = parseJsonObject(userData);
  if (!info) return { version: 0, tasks: [], hosts: undefined };
  const hosts = info.hosts !== null && typeof info.hosts === 'object' && !Array.isArray(info.hosts) ? (info.hosts as Record<string, unknown>) : undefined;
  return {
    version: typeof info.version === 'number' ? info.version : 1,
    tasks: stringArray(info.tasks),
    hosts: hosts ? new Map(Object.entries(hosts).map(([endpoint, tasks]) => [endpoint, stringArray(tasks)])) : undefined,
  };
}
