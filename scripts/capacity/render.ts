// docs/scaling.md's generated capacity section: the measured inputs, the model's lines for the
// stated workloads, the shared limits, and where a stored chunk's bytes go.
import { figure, table } from '../bench-report/markdown.ts';
import type { Results, Runtime } from '../bench-report/results.ts';
import { type MeasuredInputs, measuredInputs, type StorageFigures } from './inputs.ts';
import { ASSUMPTIONS, capacityLines, documentsPerDayAtCeiling, sharedLimits, WORKLOADS } from './model.ts';

/** The runtime the model is computed on: the one whose results cover every input. */
export const MODEL_RUNTIME: Runtime = 'node-20';

const loads = (inputs: MeasuredInputs, source: string) =>
  inputs.load[source] ? `${source}.json, load ${inputs.load[source]?.join(' / ')}` : `${source}.json`;

function inputsTable(inputs: MeasuredInputs): string {
  const rows: string[][] = inputs.chunking.map((rate) => [
    `chunking per core, ${rate.strategy} ${rate.sizes} ${rate.unit === 'chars' ? 'chars' : 'tokens'}`,
    `${figure(rate.megabytesPerSecond, rate.megabytesPerSecond < 100 ? 1 : 0)} MB/s`,
    loads(inputs, 'chunkers'),
  ]);
  rows.push(
    [
      'cached previews per core (tRPC / REST)',
      `${figure(inputs.previewHitsPerCore)} / ${figure(inputs.restPreviewHitsPerCore)} answers/s`,
      loads(inputs, 'serving'),
    ],
    [
      'ingestion, 1 / 2 worker processes',
      `${figure(inputs.ingestChunksPerWorker)} / ${figure(inputs.ingestChunksTwoWorkers)} chunks/s`,
      loads(inputs, 'operations'),
    ],
  );
  const storage = inputs.storage;
  if (storage) {
    rows.push(
      [
        'bytes per stored chunk (fresh / after a re-chunk)',
        `${figure(storage.bytesPerChunk)} / ${figure(storage.bytesPerChunkRechunked)} B`,
        loads(inputs, 'storage'),
      ],
      [
        'chunks per MB of text (recursive 400/80 chars)',
        figure(storage.chunksPerMegabyte),
        loads(inputs, 'storage'),
      ],
      [
        `PostgreSQL writing chunk rows alone (${storage.insertMethod.how}, its indexes)`,
        `${figure(storage.insertRowsPerSecond)} rows/s`,
        loads(inputs, storage.insertMethod.source),
      ],
      [
        'apply / re-chunk through the services, one process',
        `${figure(storage.applyRowsPerSecond)} / ${figure(storage.rechunkRowsPerSecond)} rows/s`,
        loads(inputs, 'storage'),
      ],
      [
        'a cached preview (20 KB document, 256/32 tokens)',
        `${figure(storage.previewBytes)} B`,
        loads(inputs, 'storage'),
      ],
    );
  }
  return table(['measured', 'figure', `from (bench/results/${inputs.runtime}/)`], rows);
}

function storageTable(storage: StorageFigures): string {
  const { perChunk } = storage;
  return table(
    ['per stored chunk', 'bytes', 'share'],
    [
      ['heap (row: ids, offsets, counts, `content`, `embed_header`, metadata)', figure(perChunk.heap), ''],
      ['TOAST (texts over ~2 KB)', figure(perChunk.toast), ''],
      ['indexes (5)', figure(perChunk.indexes), ''],
      [
        '— of which `content` (in the row)',
        figure(perChunk.content),
        `${figure((100 * perChunk.content) / storage.bytesPerChunk)}%`,
      ],
      [
        '— of which `embed_header`',
        figure(perChunk.embedHeader),
        `${figure((100 * perChunk.embedHeader) / storage.bytesPerChunk)}%`,
      ],
      ['total, fresh', figure(storage.bytesPerChunk), `×${figure(storage.chunkTableOverText, 2)} the text`],
      ['total, after one re-chunk', figure(storage.bytesPerChunkRechunked), ''],
      [
        'the same rows without `content` (offsets only)',
        figure(storage.bytesPerSliceChunk),
        `${figure((100 * storage.bytesPerSliceChunk) / storage.bytesPerChunk)}%`,
      ],
      [
        'the same rows, `content` lz4-compressed in the row',
        figure(storage.bytesPerCompressedChunk),
        `${figure((100 * storage.bytesPerCompressedChunk) / storage.bytesPerChunk)}%`,
      ],
    ],
  );
}

/** The generated section, or a note saying which results are missing. */
export function capacitySection(results: Results): string {
  const inputs = measuredInputs(results, MODEL_RUNTIME);
  if (!inputs)
    return `_No capacity figures: bench/results/${MODEL_RUNTIME}/ lacks serving.json or operations.json._`;
  const lines = capacityLines(inputs).map((line) => [line.workload, line.resource, line.basis, line.need]);
  const limits = sharedLimits(inputs);
  const parts = [
    `Measured inputs (${MODEL_RUNTIME.replace('node-', 'Node ')}, the 2-core development machine, PostgreSQL 15 and Redis 7 on the same host; the load average each file recorded is beside it):`,
    inputsTable(inputs),
    `The stated workloads (\`scripts/capacity/model.ts\`): ${figure(WORKLOADS.ingestion.documentsPerDay)} documents/day of ${figure(WORKLOADS.ingestion.documentBytes / 1000)} KB with a busiest hour ×${WORKLOADS.ingestion.peakFactor} the average; ${figure(WORKLOADS.storage.chunks / 1e9)}B chunks stored; ${figure(WORKLOADS.previews.requestsPerSecond)} previews/s of ${figure(WORKLOADS.previews.documentBytes / 1000)} KB documents, ${figure(WORKLOADS.previews.hitRatio * 100)}% of them cache hits. Cores are planned at ${figure(ASSUMPTIONS.targetUtilisation * 100)}% busy.`,
    table(['workload', 'resource', 'basis', 'need'], lines),
  ];
  if (limits.length > 0) {
    parts.push(
      `Shared single machines, busiest first (servers and workers scale out; these do not): ${limits
        .map((limit) => `**${limit.what}** ${figure(limit.share * 100)}% (${limit.detail})`)
        .join('; ')}.`,
    );
  }
  if (inputs.storage) {
    parts.push(
      `One primary takes about ${figure(documentsPerDayAtCeiling(inputs.storage) / 1e6, 1)} million documents/day of this shape at its measured insert ceiling (busiest hour ×${WORKLOADS.ingestion.peakFactor}).`,
      "Where a stored chunk's bytes go (`recursive` 400/80 chars over the benchmark corpus):",
      storageTable(inputs.storage),
      `Reading the text back (median of EXPLAIN ANALYZE): a page of 100 chunks ${figure(inputs.storage.reads.pageStoredMs, 1)} ms from \`content\`, ${figure(inputs.storage.reads.pageCompressedMs, 1)} ms compressed, ${figure(inputs.storage.reads.pageSlicedMs, 1)} ms as \`substr\` of the document; every chunk of the corpus ${figure(inputs.storage.reads.allStoredMs, 1)} ms, ${figure(inputs.storage.reads.allCompressedMs, 1)} ms and ${figure(inputs.storage.reads.allSlicedMs, 1)} ms. ${figure(inputs.storage.substrMismatches)} of ${figure(inputs.storage.rows)} chunks' \`substr\` differed from their \`content\`.`,
    );
  }
  return parts.join('\n\n');
}
