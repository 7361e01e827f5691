export interface Column {
  title: string;
  align?: 'left' | 'right';
}

/** A GitHub-flavoured Markdown table with padded cells, laid out as Biome formats Markdown. */
export function markdownTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((column, index) =>
    Math.max(3, column.title.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const pad = (text: string, index: number) =>
    columns[index]?.align === 'right'
      ? text.padStart(widths[index] as number)
      : text.padEnd(widths[index] as number);
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = columns.map((column, index) => {
    const width = widths[index] as number;
    return column.align === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width);
  });
  return [line(columns.map((column) => column.title)), `| ${rule.join(' | ')} |`, ...rows.map(line)].join(
    '\n',
  );
}
