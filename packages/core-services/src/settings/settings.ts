import { z } from 'zod';
import { partialRedisRoles } from './redis-urls.ts';
import type { Setting } from './setting.ts';
import { SETTINGS_TABLE } from './settings-table.ts';

const MIB = 1024 * 1024;

/**
 * Bounds no variable sets, beside the ones the table's variables set: fixed by design, kept here
 * so every number that bounds the system has one home.
 */
const FIXED_SETTINGS = {
  previews: {
    /** Longest stored document a preview or comparison reads. */
    maxDocumentChars: 10 * MIB,
    /** Chunks a preview answers when the request names no `maxChunks`. */
    defaultMaxChunks: 1000,
  },
  previewCache: { ttlSeconds: 30 * 60 },
  uploads: {
    /** Largest document accepted, in bytes of UTF-8. */
    maxBytes: 100 * MIB,
    /** The largest segment an upload leases from the upload memory. */
    segmentBytes: MIB,
  },
  statistics: { cacheTtlSeconds: 30 },
  operations: {
    /**
     * How often a running operation's status is read as a safety net: a cancellation is heard at
     * once as a progress announcement; this catches one that was lost.
     */
    cancellationPollMs: 10_000,
    /** Attempts of an operation job, and the first backoff (doubling). */
    retry: { attempts: 3, backoffMs: 1000 },
  },
  /** Long enough for any operation's events to be replayed; a log expires a day after its last event. */
  progressLog: { maxLength: 10_000, ttlSeconds: 24 * 60 * 60 },
};

type Table = typeof SETTINGS_TABLE;
type Fixed = typeof FIXED_SETTINGS;
type ValueOf<Row> = Row extends Setting<infer Value> ? Value : never;
type TableValues = { [Group in keyof Table]: { [Name in keyof Table[Group]]: ValueOf<Table[Group][Name]> } };

/** Everything that configures a Chunkflow process, by what each part bounds or connects. */
export type Settings = {
  readonly [Group in keyof Table | keyof Fixed]: (Group extends keyof Table ? TableValues[Group] : unknown) &
    (Group extends keyof Fixed ? Fixed[Group] : unknown);
};

/** The table's rows, each with its place in the settings (`group.name`). */
export function settingRows(): { group: string; name: string; row: Setting }[] {
  return Object.entries(SETTINGS_TABLE).flatMap(([group, rows]) =>
    Object.entries(rows).map(([name, row]: [string, Setting]) => ({ group, name, row })),
  );
}

/** One zod field per variable: its parser, fed the default when the variable is unset. */
const environmentSchema = z
  .object(
    Object.fromEntries(
      settingRows().map(({ row }) => [
        row.env,
        row.default === undefined ? row.parse : row.parse.prefault(row.default),
      ]),
    ),
  )
  .superRefine((environment, context) => {
    // Rules between settings, checked once they are all read.
    const partial = partialRedisRoles({
      redisUrl: environment.REDIS_URL as string | undefined,
      redisQueueUrl: environment.REDIS_QUEUE_URL as string | undefined,
      redisLimitsUrl: environment.REDIS_LIMITS_URL as string | undefined,
      redisCacheUrl: environment.REDIS_CACHE_URL as string | undefined,
    });
    if (partial !== undefined) context.addIssue({ code: 'custom', path: ['REDIS_URL'], message: partial });
    if (Number(environment.HTTP_HEADERS_TIMEOUT_MS) > Number(environment.HTTP_REQUEST_TIMEOUT_MS)) {
      context.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        message: 'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS',
      });
    }
  });

/**
 * Reads the documented environment variables (docs/configuration.md) into typed settings; a bad
 * value throws, naming the variable, so start-up stops saying why.
 */
export function settingsFrom(environment: Record<string, string | undefined>): Settings {
  const values = environmentSchema.parse(environment);
  const settings: Record<string, Record<string, unknown>> = structuredClone(FIXED_SETTINGS);
  for (const { group, name, row } of settingRows()) {
    settings[group] ??= {};
    settings[group][name] = values[row.env];
  }
  return settings as Settings;
}

/** The settings of an empty environment: every default. */
export const DEFAULT_SETTINGS: Settings = settingsFrom({});
