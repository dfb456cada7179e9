// Gaps between times (broker append times of records): how long output stood still.

export interface Gap {
  ms: number;
  /** Epoch ms of the last output before the gap. */
  from: number;
}

/** The `n` longest gaps between consecutive times (sorted), longest first. */
export function longestGaps(sorted: Float64Array, n: number): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const ms = sorted[i]! - sorted[i - 1]!;
    if (gaps.length < n || ms > gaps[gaps.length - 1]!.ms) {
      gaps.push({ ms, from: sorted[i - 1]! });
      gaps.sort((a, b) => b.ms - a.ms);
      if (gaps.length > n) gaps.pop();
    }
  }
  return gaps;
}

/** The longest gap between consecutive times (sorted) that overlaps [from, to]. */
export function longestGapDuring(sorted: Float64Array, from: number, to: number): Gap {
  let longest: Gap = { ms: 0, from };
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]! < from) continue;
    if (sorted[i - 1]! > to) break;
    const ms = sorted[i]! - sorted[i - 1]!;
    if (ms > longest.ms) longest = { ms, from: sorted[i - 1]! };
  }
  return longest;
}
