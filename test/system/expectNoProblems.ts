// Fails a scenario with every problem it found, one paragraph each, instead of stopping at
// the first assertion: a run of several minutes should say all that went wrong.
import { assert } from 'vitest';

export function expectNoProblems(problems: readonly string[], context = ''): void {
  if (problems.length === 0) return;
  assert.fail(`${problems.length} problem(s):\n\n${problems.join('\n\n')}${context ? `\n\n${context}` : ''}`);
}
