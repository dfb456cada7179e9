import { StreamsError } from '@tributary/core';

/**
 * Throws naming the first key of `value` that is not in `known`, with the closest known
 * name when one is near (a typo such as `sasl.mechansim`), so that no misspelt setting is
 * silently ignored. `where` names the object (`'KafkaStreams options'`, `'consumer'`).
 */
export function rejectUnknownOptions(value: object, known: readonly string[], where: string, hints: Readonly<Record<string, string>> = {}): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const hint = hints[key] ?? suggestion(key, known);
    throw new StreamsError(`unknown option '${key}' in ${where}${hint ? `: ${hint}` : ''}. Known options: ${[...known].sort().join(', ')}`);
  }
}

function suggestion(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best && `did you mean '${best}'?`;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
