import { BULK_LIMITS } from '@chunkflow/core-services';
import { defineScenario, type Outcome } from '../scenario.ts';
import { createCollection } from '../workflow.ts';

interface Line {
  status?: string;
  error?: { code?: string; correlationId?: string };
}

/**
 * New: the NDJSON import fed what a careless or hostile client sends in one body: a line that is
 * not JSON, metadata nested thousands deep, a line of many megabytes, text with NUL characters,
 * then more items than one request takes. Each bad line must be its own typed refusal (the rest
 * still stored), the huge line skipped without being held, and the excess ended by a typed error
 * line, all in one streamed 200 answer whose every line is JSON with a correlation id.
 */
export const hostileImport = defineScenario({
  name: 'hostile NDJSON import',
  finding: 'new',
  sizes: {
    short: { hugeLineMb: 20, items: BULK_LIMITS.maxImportItems + 5 },
    full: { hugeLineMb: 64, items: BULK_LIMITS.maxImportItems + 5 },
  },
  run: async ({ tenant }, { hugeLineMb, items }): Promise<Outcome> => {
    const { api, client } = tenant('importer');
    const collectionId = await createCollection(client, 'hostile import');
    const depth = 3000;
    const bad = [
      '{"name": "broken", "text": ',
      `{"name": "deep", "text": "x", "metadata": {"a": ${'['.repeat(depth)}${']'.repeat(depth)}}}`,
      `{"name": "huge", "text": "${'x'.repeat(hugeLineMb * 1024 * 1024)}"}`,
      '{"name": "nul", "text": "a\\u0000b"}',
    ];
    const rest = Array.from({ length: items - bad.length }, (_, i) => `{"name":"n${i}","text":"same text"}`);
    // Text with NUL characters is binary to the converters: refused as an upload of it would be.
    const expected = ['VALIDATION_ERROR', 'VALIDATION_ERROR', 'DOCUMENT_TOO_LARGE', 'UNSUPPORTED_DOCUMENT'];
    const started = performance.now();
    const response = await fetch(`${api.url}/api/v2/collections/${collectionId}/documents/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/x-ndjson' },
      body: [...bad, ...rest].join('\n'),
      signal: AbortSignal.timeout(api.deadlineMs),
    }).catch((error: unknown) => error as Error);
    if (response instanceof Error) {
      return { passed: false, answer: `no answer: ${response.message}`, expected: 'a streamed 200' };
    }
    const text = await response.text();
    const answerMs = performance.now() - started;
    let lines: Line[];
    try {
      lines = text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Line);
    } catch {
      return { passed: false, answer: `${response.status}, a line not JSON`, expected: 'NDJSON', answerMs };
    }
    const codes = lines.slice(0, bad.length).map((line) => line.error?.code ?? line.status);
    const end = lines.at(-1);
    const refusalsTyped = lines.every(
      (line) => line.error === undefined || line.error.correlationId !== undefined,
    );
    const passed =
      response.status === 200 &&
      codes.join() === expected.join() &&
      lines[bad.length]?.status === 'created' &&
      end?.status === undefined &&
      end?.error?.code === 'VALIDATION_ERROR' &&
      lines.length === BULK_LIMITS.maxImportItems + 1 &&
      refusalsTyped;
    return {
      passed,
      answer: `${response.status}: ${codes.join(' ')}, ${lines.length - 1} results, then ${end?.error?.code ?? 'summary'}`,
      expected: `200: ${expected.join(' ')}, ${BULK_LIMITS.maxImportItems} results, then VALIDATION_ERROR`,
      answerMs,
    };
  },
});
