/**
 * Broker errors that mean a transactional producer lost its transactional id to a newer
 * producer (another member took the task, or the broker aborted a transaction that stayed
 * open past its timeout and bumped the epoch). Kafka Streams turns them into
 * `TaskMigratedException`: the task is closed dirty and the member rejoins the group.
 */
const FENCING_ERRORS = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'INVALID_PRODUCER_ID_MAPPING', 'TRANSACTIONAL_ID_NOT_FOUND']);

/**
 * Broker errors that refuse a member's commit because the group no longer counts it (its
 * session expired while the coordinator was away): Kafka Streams' `CommitFailedException`
 * for a member out of the group. Another member may own its tasks by now. A commit of an
 * older generation (ILLEGAL_GENERATION) or during a rebalance (REBALANCE_IN_PROGRESS) is
 * not one: the member is still in the group, rejoins under its id and keeps what stays.
 */
const MEMBERSHIP_ERRORS = new Set(['UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);
const REBALANCING_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION']);

/** True when `error`, or any error in its `cause` chain, says the task's producer was fenced. */
export function isTaskMigration(error: unknown): boolean {
  return hasErrorType(error, FENCING_ERRORS);
}

/** True when `error`, or any error in its `cause` chain, says the group dropped this member. */
export function isMembershipLost(error: unknown): boolean {
  return hasErrorType(error, MEMBERSHIP_ERRORS);
}

function hasErrorType(error: unknown, types: ReadonlySet<string>): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && types.has(type)) return true;
  }
  return false;
}

/** True when `error`, or any error in its `cause` chain, says the group is rebalancing (or did, past this member's generation). */
export function isRebalanceInProgress(error: unknown): boolean {
  return hasErrorType(error, REBALANCING_ERRORS);
}
