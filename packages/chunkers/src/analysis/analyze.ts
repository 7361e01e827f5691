import type { CodeLanguage } from '../strategies/code-languages.ts';
import { guessCodeLanguage } from './detect-language.ts';
import { looksLikeMarkdown, markdownSignals } from './detect-markdown.ts';
import { guessStructured, type StructuredFormat } from './detect-structured.ts';
import { withoutFencedBlocks } from './fenced-blocks.ts';
import { hintFromFileType } from './file-type.ts';
import { nonBlankLineHeads } from './line-heads.ts';

export type ContentKind = 'markdown' | 'code' | 'prose' | 'structured';

export interface ContentAnalysis {
  kind: ContentKind;
  /** For code: the language. */
  language?: CodeLanguage;
  /** For structured content: the format. */
  format?: StructuredFormat;
  /** 0–1: how sure the analysis is (a recognised file type is 0.95). */
  confidence: number;
  /** One sentence a person can read: what was seen. */
  reason: string;
}

/** Only the head of a large document is read: its kind shows early and analysis stays O(1). */
const sampleLimit = 64 * 1024;

/** The head of `text` that analysis reads, cut at a line break. */
export function sampleOf(text: string): string {
  if (text.length <= sampleLimit) return text;
  const cut = text.lastIndexOf('\n', sampleLimit);
  return text.slice(0, cut > 0 ? cut : sampleLimit);
}

const codeLikeLine = /[;{}]\s*$|^\s*[)}\]]|^\s*(?:return|if|for|while|else|def|fn|func)\b|^\s{2,}\S.*[=(]/;

function codeLineShare(text: string): number {
  const lines = nonBlankLineHeads(text);
  if (lines.length === 0) return 0;
  return lines.filter((line) => codeLikeLine.test(line)).length / lines.length;
}

const round = (value: number) => Math.round(value * 100) / 100;

function fromFileType(fileType: string): ContentAnalysis | undefined {
  const hint = hintFromFileType(fileType);
  if (!hint) return undefined;
  const reason = `file type "${fileType}" is ${hint.kind === 'code' ? hint.language : hint.kind === 'structured' ? hint.format : 'markdown'}`;
  return { ...hint, confidence: 0.95, reason };
}

function fromContent(text: string): ContentAnalysis {
  const sample = sampleOf(text);
  if (sample.trim() === '')
    return { kind: 'prose', confidence: 0.5, reason: 'the text is empty or only whitespace' };

  const structured = guessStructured(sample, sample.length === text.length);
  if (structured) {
    return {
      kind: 'structured',
      format: structured.format,
      confidence: round(0.6 + 0.35 * structured.fit),
      reason: `${Math.round(structured.fit * 100)}% of the content fits ${structured.format}`,
    };
  }

  const markdown = markdownSignals(sample);
  const code = guessCodeLanguage(markdown.fences > 0 ? withoutFencedBlocks(sample) : sample);
  const codeShare = codeLineShare(sample);
  if (markdown.fences === 0 && code && code.score >= 4 && (code.density >= 0.3 || codeShare >= 0.5)) {
    return {
      kind: 'code',
      language: code.language,
      confidence: round(Math.min(0.9, 0.5 + code.density / 2 + codeShare / 4)),
      reason: `${code.language} constructs on many lines (signature density ${round(code.density)}, ${Math.round(codeShare * 100)}% code-like lines)`,
    };
  }
  if (looksLikeMarkdown(markdown)) {
    return {
      kind: 'markdown',
      confidence: round(Math.min(0.9, 0.55 + markdown.density / 2)),
      reason: `markdown structure: ${markdown.headings} headings, ${markdown.fences} code fences, ${markdown.tables} tables, ${markdown.listItems} list items, ${markdown.links} links`,
    };
  }
  return {
    kind: 'prose',
    confidence: round(Math.max(0.5, 0.85 - codeShare - markdown.density)),
    reason: 'running text without markdown structure, code or a structured format',
  };
}

/**
 * Classifies a document as markdown, code (and which language), structured data (JSON, CSV,
 * YAML, logs) or prose. A recognised `fileType` decides; otherwise the content does.
 */
export function analyzeContent(text: string, fileType?: string): ContentAnalysis {
  return (fileType === undefined ? undefined : fromFileType(fileType)) ?? fromContent(text);
}
