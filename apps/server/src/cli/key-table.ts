import type { AuthService } from '@chunkflow/core-services';

type ApiKeyRecord = NonNullable<Awaited<ReturnType<AuthService['listApiKeys']>>>[number];

const COLUMNS = ['id', 'label', 'created', 'last used', 'revoked'] as const;

function row(key: ApiKeyRecord): string[] {
  return [
    key.id,
    key.label ?? '',
    key.createdAt.toISOString(),
    key.lastUsedAt?.toISOString() ?? 'never',
    key.revokedAt?.toISOString() ?? 'active',
  ];
}

/** A plain aligned table of key metadata (the key itself is never stored, so never shown). */
export function formatKeyTable(keys: ApiKeyRecord[]): string {
  const rows = [[...COLUMNS], ...keys.map(row)];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((cells) => cells[column]?.length ?? 0)));
  return rows
    .map((cells) =>
      cells
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
