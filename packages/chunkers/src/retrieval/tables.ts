/** A markdown (GFM) table: its header and delimiter rows, and where its body rows lie. */
export interface TableExtent {
  /** The header row and the delimiter row below it, as written. */
  header: string;
  bodyStart: number;
  bodyEnd: number;
}

/** Only pipes, hyphens, colons and blanks, with at least one pipe and one hyphen (`|---|:-:|`). */
function isDelimiterRow(text: string, start: number, end: number): boolean {
  let hyphen = false;
  let pipe = false;
  for (let i = start; i < end; i++) {
    const char = text[i];
    if (char === '-') hyphen = true;
    else if (char === '|') pipe = true;
    else if (char !== ':' && char !== ' ' && char !== '\t' && char !== '\r') return false;
  }
  return hyphen && pipe;
}

/**
 * Whether lines hold a pipe, for lines asked in text order: each pipe is searched for once. A
 * search per line from its start ran on to the next pipe, to the text's end when there was none,
 * so a text of many lines and no pipes took time quadratic in its length.
 */
class PipeLines {
  readonly #text: string;
  /** The first pipe at or after the last line asked about; -1 when there is none. */
  #next = -2;

  constructor(text: string) {
    this.#text = text;
  }

  isTableRow(start: number, end: number): boolean {
    if (this.#next !== -1 && this.#next < start) this.#next = this.#text.indexOf('|', start);
    return this.#next !== -1 && this.#next < end;
  }
}

/** Every table of `text`, in order; one pass over its lines. */
export function findTables(text: string): TableExtent[] {
  const tables: TableExtent[] = [];
  const pipes = new PipeLines(text);
  let previousStart = -1;
  let previousIsRow = false;
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    if (previousIsRow && isDelimiterRow(text, start, end)) {
      const header = text.slice(previousStart, end);
      let bodyEnd = newline === -1 ? end : end + 1;
      const bodyStart = bodyEnd;
      while (bodyEnd < text.length) {
        const rowNewline = text.indexOf('\n', bodyEnd);
        const rowEnd = rowNewline === -1 ? text.length : rowNewline;
        if (!pipes.isTableRow(bodyEnd, rowEnd)) break;
        bodyEnd = rowNewline === -1 ? rowEnd : rowEnd + 1;
      }
      if (bodyEnd > bodyStart) tables.push({ header, bodyStart, bodyEnd });
      previousIsRow = false;
      start = bodyEnd;
      continue;
    }
    previousIsRow = pipes.isTableRow(start, end);
    previousStart = start;
    start = newline === -1 ? text.length : newline + 1;
  }
  return tables;
}

/** The header of the table whose body holds `offset` (a chunk starting past the header), if any. */
export function tableHeaderAt(tables: readonly TableExtent[], offset: number): string | undefined {
  let low = 0;
  let high = tables.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((tables[middle] as TableExtent).bodyStart <= offset) low = middle + 1;
    else high = middle;
  }
  const table = tables[low - 1];
  return table !== undefined && offset < table.bodyEnd ? table.header : undefined;
}
