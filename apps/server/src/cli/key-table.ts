/** What a key listing shows of a key (the key itself is never stored, so never shown). */
export interface KeyRow {
  id: string;
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = ['id', 'label', 'created', 'last used', 'revoked'] as const;

function row(key: KeyRow): string[] {
  return [
    key.id,
    key.label ?? '',
    key.createdAt.toISOString(),
    key.lastUsedAt?.toISOString() ?? 'never',
    key.revokedAt?.toISOString() ?? 'active',
  ];
}

/** A plain aligned table of key metadata. */
export function formatKeyTable(keys: readonly KeyRow[]): string {
  return formatTable([...COLUMNS], keys.map(row));
}

/** Columns padded to their widest cell, two spaces apart, no trailing blanks. */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((cells) => cells[column]?.length ?? 0)));
  return all
    .map((cells) =>
      cells
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
