// Markdown as Biome formats it, so generated sections pass `biome ci` unchanged: table columns
// padded to their widest cell, a dash rule as wide as each column.

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Replaces what lies between `<!-- name:start -->` and `<!-- name:end -->` (markers kept). */
export function splice(document: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from < 0 || to < from) throw new Error(`markers ${start} … ${end} not found`);
  return `${document.slice(0, from + start.length)}\n\n${content}\n\n${document.slice(to)}`;
}

/** A figure with thousands separators and `digits` decimals; `—` when there is none. */
export function figure(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `×0.69` style: two decimals below 10, one above, two significant digits below 0.1. */
export function times(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (value < 0.1) return `×${value.toPrecision(2)}`;
  return `×${figure(value, value < 10 ? 2 : 1)}`;
}

export function percent(change: number | undefined): string {
  if (change === undefined || !Number.isFinite(change)) return '—';
  return `${change >= 0 ? '+' : '−'}${figure(Math.abs(change) * 100, 0)}%`;
}
