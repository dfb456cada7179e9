/**
 * The mark a member commits with the offsets of a task it gives up in a cooperative
 * rebalance: `tributary-handover:<generation>`, after the other fields of the offset's
 * metadata (its stream time), separated by `;`. The task's new owner, told by the assignment
 * that the task was handed over in that generation, starts it only once the mark is there:
 * then the offsets and the changelogs hold everything the previous owner did, so the new
 * owner repeats nothing, and the task moves in one rebalance rather than two.
 */
const FIELD = 'tributary-handover:';

/** `metadata` with the handover mark of `generation` in place of any earlier mark. */
export function markHandover(metadata: string | null | undefined, generation: number): string {
  const fields = (metadata ?? '').split(';').filter((field) => field.length > 0 && !field.startsWith(FIELD));
  return [...fields, `${FIELD}${generation}`].join(';');
}

/** The generation of the handover mark in `metadata`, if it has one. */
export function handoverGeneration(metadata: string | null | undefined): number | undefined {
  const field = metadata?.split(';').find((f) => f.startsWith(FIELD));
  if (field === undefined) return undefined;
  const generation = Number(field.slice(FIELD.length));
  return Number.isInteger(generation) ? generation : undefined;
}
