import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingRows, settingsFrom } from '../src/settings/settings.ts';
import {
  configurationDocument,
  README_TABLE_MARKERS,
  readmeConfigurationTable,
  withoutTablePadding,
} from '../src/settings/settings-docs.ts';

const root = join(import.meta.dirname, '../../..');
const committed = (file: string) => withoutTablePadding(readFileSync(join(root, file), 'utf8'));

describe('the settings table', () => {
  it('names each variable once', () => {
    const names = settingRows().map(({ row }) => row.env);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every setting its default when the environment is empty', () => {
    expect(DEFAULT_SETTINGS.http.port).toBe(3000);
    expect(DEFAULT_SETTINGS.storage.databaseUrl).toBeUndefined();
    expect(DEFAULT_SETTINGS.storage.databaseReplicaUrls).toEqual([]);
    expect(DEFAULT_SETTINGS.previewCache.localBytes).toBe(64 * 2 ** 20);
    expect(DEFAULT_SETTINGS.uploads.memoryBytes).toBe(256 * 2 ** 20);
    expect(DEFAULT_SETTINGS.operations.jobTimeoutMs).toBe(3_600_000);
    expect(DEFAULT_SETTINGS.worker.metricsPort).toBeUndefined();
    expect(DEFAULT_SETTINGS.previews.maxDocumentChars).toBe(10 * 2 ** 20);
  });

  it('reads set variables through the same parsers as the defaults', () => {
    const settings = settingsFrom({
      PREVIEW_LOCAL_CACHE_MB: '0.5',
      EMBEDDER_ALLOWED_URLS: ' http://a/v1 ,,http://b/v1',
      REDIS_URL: '  ',
      WORKER_METRICS_PORT: '0',
    });
    expect(settings.previewCache.localBytes).toBe(2 ** 19);
    expect(settings.embedders.allowedBaseUrls).toEqual(['http://a/v1', 'http://b/v1']);
    expect(settings.storage.redisUrl).toBeUndefined();
    expect(settings.worker.metricsPort).toBe(0);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => settingsFrom({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => settingsFrom({ PROGRESS_IDLE_CHECK_MS: String(2 ** 31) })).toThrow(/PROGRESS_IDLE_CHECK_MS/);
    expect(() => settingsFrom({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '4000' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS/,
    );
  });
});

describe('the documented settings (run `pnpm docs:config` after changing the table)', () => {
  it('docs/configuration.md is the table', () => {
    expect(committed('docs/configuration.md')).toBe(withoutTablePadding(configurationDocument()));
  });

  it("the README's configuration table is the table's featured rows", () => {
    const readme = committed('README.md');
    const begin = readme.indexOf(README_TABLE_MARKERS.begin) + README_TABLE_MARKERS.begin.length;
    const end = readme.indexOf(README_TABLE_MARKERS.end);
    expect(readme.slice(begin, end).trim()).toBe(withoutTablePadding(readmeConfigurationTable()));
  });
});
