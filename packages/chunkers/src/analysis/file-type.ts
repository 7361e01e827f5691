import { type CodeLanguage, codeLanguageForExtension } from '../strategies/code-languages.ts';
import type { StructuredFormat } from './detect-structured.ts';

export type FileTypeHint =
  | { kind: 'markdown' }
  | { kind: 'code'; language: CodeLanguage }
  | { kind: 'structured'; format: StructuredFormat };

const structuredExtensions: Readonly<Record<string, StructuredFormat>> = {
  json: 'json',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  csv: 'csv',
  tsv: 'tsv',
  yaml: 'yaml',
  yml: 'yaml',
  log: 'log',
};

const mimeTypes: Readonly<Record<string, FileTypeHint>> = {
  'text/markdown': { kind: 'markdown' },
  'text/x-markdown': { kind: 'markdown' },
  'application/json': { kind: 'structured', format: 'json' },
  'application/x-ndjson': { kind: 'structured', format: 'jsonl' },
  'application/jsonl': { kind: 'structured', format: 'jsonl' },
  'text/csv': { kind: 'structured', format: 'csv' },
  'text/tab-separated-values': { kind: 'structured', format: 'tsv' },
  'application/yaml': { kind: 'structured', format: 'yaml' },
  'application/x-yaml': { kind: 'structured', format: 'yaml' },
  'text/yaml': { kind: 'structured', format: 'yaml' },
  'text/javascript': { kind: 'code', language: 'javascript' },
  'application/javascript': { kind: 'code', language: 'javascript' },
  'application/typescript': { kind: 'code', language: 'typescript' },
  'text/x-typescript': { kind: 'code', language: 'typescript' },
  'text/x-python': { kind: 'code', language: 'python' },
  'text/x-go': { kind: 'code', language: 'go' },
  'text/x-rust': { kind: 'code', language: 'rust' },
  'text/x-java': { kind: 'code', language: 'java' },
  'text/x-java-source': { kind: 'code', language: 'java' },
};

/**
 * What a file type says about content, if anything: accepts an extension ("py", ".md"), a file
 * name ("main.go") or a MIME type ("text/markdown; charset=utf-8"). Plain text says nothing.
 */
export function hintFromFileType(fileType: string): FileTypeHint | undefined {
  const normalised = fileType.trim().toLowerCase();
  if (normalised.includes('/')) {
    const mime = normalised.split(';')[0]?.trim() ?? '';
    return mimeTypes[mime] ?? (mime.endsWith('+json') ? { kind: 'structured', format: 'json' } : undefined);
  }
  const extension = normalised.slice(normalised.lastIndexOf('.') + 1);
  if (extension === 'md' || extension === 'markdown' || extension === 'mdx') return { kind: 'markdown' };
  const format = structuredExtensions[extension];
  if (format) return { kind: 'structured', format };
  const language = codeLanguageForExtension(extension);
  return language ? { kind: 'code', language } : undefined;
}
