import type { SourceFormat } from './types.ts';

export const PDF_TYPE = 'application/pdf';
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const HTML_TYPE = 'text/html';
export const MARKDOWN_TYPE = 'text/markdown';
export const TEXT_TYPE = 'text/plain';
export const UNKNOWN_TYPE = 'application/octet-stream';

const formatOfType = new Map<string, SourceFormat>([
  [PDF_TYPE, 'pdf'],
  [DOCX_TYPE, 'docx'],
  [HTML_TYPE, 'html'],
  ['application/xhtml+xml', 'html'],
  [MARKDOWN_TYPE, 'markdown'],
  ['text/x-markdown', 'markdown'],
]);

/** Source code and data sent under an `application/*` type: read as text. Every `text/*` is text too. */
const textApplicationTypes = new Set([
  'application/json',
  'application/javascript',
  'application/typescript',
  'application/x-typescript',
  'application/ecmascript',
  'application/xml',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/x-sh',
  'application/x-httpd-php',
  'application/sql',
  'application/graphql',
  'application/x-python-code',
]);

/** The format a declared media type asks for, or undefined for a type not taken. */
export function formatOfMediaType(mediaType: string): SourceFormat | undefined {
  const type = mediaType.toLowerCase();
  const known = formatOfType.get(type);
  if (known) return known;
  if (type.startsWith('text/') || textApplicationTypes.has(type)) return 'text';
  return undefined;
}

const extensionFormats = new Map<string, SourceFormat>([
  ['pdf', 'pdf'],
  ['docx', 'docx'],
  ['html', 'html'],
  ['htm', 'html'],
  ['xhtml', 'html'],
  ['md', 'markdown'],
  ['markdown', 'markdown'],
  ['mdx', 'markdown'],
]);

/** The format a file name's extension names, if it names one of ours; other extensions say nothing. */
export function formatOfName(name: string | undefined): SourceFormat | undefined {
  const dot = name?.lastIndexOf('.') ?? -1;
  if (name === undefined || dot < 0) return undefined;
  return extensionFormats.get(name.slice(dot + 1).toLowerCase());
}

/** The media type stored for a detected format. */
export const mediaTypeOfFormat: Record<SourceFormat, string> = {
  pdf: PDF_TYPE,
  docx: DOCX_TYPE,
  html: HTML_TYPE,
  markdown: MARKDOWN_TYPE,
  text: TEXT_TYPE,
};
