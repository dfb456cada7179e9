/**
 * A task's stream time in the metadata of its committed offsets. Kafka Streams commits each
 * partition's time with its offset and a task that starts (it moved, or the application
 * restarted) begins from it, so stream time never goes back: punctuators and processors that
 * read it see the same times whoever runs the task. Tributary writes `tributary-stream-time:<ms>`,
 * which may be followed by other fields after a `;` (a handover mark, `handoverMark.ts`);
 * other metadata (another application's, or none) is ignored.
 */
const PREFIX = 'tributary-stream-time:';

export function encodeStreamTime(ms: number): string | undefined {
  return Number.isFinite(ms) ? `${PREFIX}${ms}` : undefined;
}

export function decodeStreamTime(metadata: string | null | undefined): number | undefined {
  if (!metadata?.startsWith(PREFIX)) return undefined;
  const ms = Number(metadata.slice(PREFIX.length).split(';', 1)[0]);
  return Number.isFinite(ms) ? ms : undefined;
}
