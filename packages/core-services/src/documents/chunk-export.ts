import type { ExportedChunk } from '@chunkflow/db';
import { BudgetExceededError } from '@chunkflow/errors';

export interface ExportInput {
  collectionId: string;
  /** Only this document's chunks. */
  documentId?: string | undefined;
  /** Resume an interrupted export: only the documents after this one. */
  afterDocumentId?: string | undefined;
}

/** One export line: the stored chunk, `pages` lifted from its metadata when the document has pages. */
function lineOf(chunk: ExportedChunk): string {
  const { pages } = chunk.metadata;
  return `${JSON.stringify(Array.isArray(pages) ? { ...chunk, pages } : chunk)}\n`;
}

/**
 * NDJSON text, one string per batch of lines. The first batch is read before this returns, so an
 * unknown collection or a bad id is refused before anything is sent; after that each batch is read
 * only when the consumer asks for the next (a slow client slows the reads, never buffers them), and
 * a consumer that stops early ends the reads. Past `budgetMs` from the start the next batch is not
 * read: the iteration throws BUDGET_EXCEEDED (a client that stops reading holds one batch and no
 * database connection meanwhile, so the budget is checked where reads happen).
 */
export async function exportLines(
  batches: AsyncGenerator<ExportedChunk[]>,
  budgetMs: number,
): Promise<AsyncGenerator<string>> {
  const started = performance.now();
  const first = await batches.next();
  async function* lines(): AsyncGenerator<string> {
    try {
      if (first.done) return;
      yield first.value.map(lineOf).join('');
      for (;;) {
        if (performance.now() - started >= budgetMs) throw new BudgetExceededError('export', budgetMs);
        const next = await batches.next();
        if (next.done) return;
        yield next.value.map(lineOf).join('');
      }
    } finally {
      await batches.return(undefined);
    }
  }
  return lines();
}
