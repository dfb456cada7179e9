/** `406785` -> `406,785`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `12345` -> `12.3s`; `95000` -> `1m35s`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** `1291191960000` -> `2010-12-01 08:26`. */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ');
}

/** Pounds with two decimals and thousands separators. */
export function formatPounds(amount: number): string {
  return `£${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Rows of cells as aligned columns; numbers (cells matching a number) right-aligned. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const numeric = /^[-+]?[£\d,.]+[%s]?(\/s)?$/;
  return rows
    .map((row) => indent + row.map((cell, i) => (numeric.test(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}
