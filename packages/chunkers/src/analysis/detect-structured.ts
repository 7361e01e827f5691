export type StructuredFormat = 'json' | 'jsonl' | 'csv' | 'tsv' | 'yaml' | 'log';

export interface StructuredGuess {
  format: StructuredFormat;
  /** Share of the sampled lines (or of the document, for JSON) that fit the format. */
  fit: number;
}

const logLine =
  /^(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\[?(?:TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL)\b\]?|\d{1,3}(?:\.\d{1,3}){3} - \S+ \[)/;
const yamlKey = /^\s*(?:- )?(?:"[^"]*"|'[^']*'|[\w.-]+)\s*:(?:\s|$)/;
const yamlItemOrComment = /^\s*(?:- |#|---\s*$|\.\.\.\s*$)/;

function tryJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function share(lines: readonly string[], test: (line: string) => boolean): number {
  if (lines.length === 0) return 0;
  let hits = 0;
  for (const line of lines) if (test(line)) hits++;
  return hits / lines.length;
}

/** Delimited rows: the delimiter appears the same (non-zero) number of times as in the header. */
function delimitedFit(lines: readonly string[], delimiter: string): number {
  if (lines.length < 2) return 0;
  const count = (line: string) => line.split(delimiter).length - 1;
  const columns = count(lines[0] as string);
  return columns === 0 ? 0 : share(lines, (line) => count(line) === columns);
}

/**
 * Recognises JSON (the whole sample parses, or it was cut short but opens like JSON), JSON Lines,
 * CSV/TSV, YAML and log files. `complete` says whether `sample` is the whole document.
 */
export function guessStructured(sample: string, complete: boolean): StructuredGuess | undefined {
  const trimmed = sample.trim();
  if (trimmed === '') return undefined;
  const lines = trimmed.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (/^[[{]/.test(trimmed)) {
    if (complete ? tryJson(trimmed) : /^[[{]\s*(?:"[^"]*"\s*:|[[{"\d-]|true|false|null)/.test(trimmed)) {
      return { format: 'json', fit: complete ? 1 : 0.8 };
    }
    const jsonl = share(lines, (line) => /^[[{]/.test(line.trim()) && tryJson(line));
    if (lines.length >= 2 && jsonl >= 0.9) return { format: 'jsonl', fit: jsonl };
  }
  const candidates: StructuredGuess[] = [
    { format: 'log', fit: share(lines, (line) => logLine.test(line)) },
    { format: 'tsv', fit: delimitedFit(lines, '\t') },
    { format: 'csv', fit: Math.max(delimitedFit(lines, ','), delimitedFit(lines, ';')) },
  ];
  const keys = share(lines, (line) => yamlKey.test(line));
  if (keys >= 0.3) {
    candidates.push({
      format: 'yaml',
      fit: share(lines, (line) => yamlKey.test(line) || yamlItemOrComment.test(line)),
    });
  }
  const best = candidates.reduce((a, b) => (b.fit > a.fit ? b : a));
  const enoughRows = best.format === 'yaml' || lines.length >= 3;
  return best.fit >= 0.8 && enoughRows ? best : undefined;
}
