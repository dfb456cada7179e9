/**
 * Broker errors that mean a transactional producer lost its transactional id to a newer
 * producer (another member took the task, or the broker aborted a transaction that stayed
 * open past its timeout and bumped the epoch). Kafka Streams turns them into
 * `TaskMigratedException`: the task is closed dirty and the member rejoins the group.
 */
const FENCING_ERRORS = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'INVALID_PRODUCER_ID_MAPPING', 'TRANSACTIONAL_ID_NOT_FOUND']);

/** True when `error`, or any error in its `cause` chain, says the task's producer was fenced. */
export function isTaskMigration(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && FENCING_ERRORS.has(type)) return true;
  }
  return false;
}
