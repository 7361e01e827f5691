import type { PreviewChunk } from './api.ts';
import { el, formatNumber } from './dom.ts';

/**
 * The floating card describing the chunk(s) under the pointer or keyboard focus: offsets, sizes,
 * the context header its embedText adds before the content, and metadata. A polite live region, so keyboard users hear what they moved to.
 */
export class ChunkCard {
  readonly element = el('div', { class: 'chunk-card', role: 'status', hidden: true });

  show(chunks: readonly PreviewChunk[], x: number, y: number): void {
    const title =
      chunks.length > 1 ? `Overlap of ${chunks.map((chunk) => `#${chunk.index}`).join(' and ')}` : null;
    this.element.replaceChildren(
      ...(title ? [el('div', { class: 'card-title overlap-title' }, title)] : []),
      ...chunks.map(describe),
    );
    this.element.hidden = false;
    this.#place(x, y);
  }

  hide(): void {
    this.element.hidden = true;
  }

  /** Below and right of the point, kept inside the viewport. */
  #place(x: number, y: number): void {
    const { offsetWidth: width, offsetHeight: height } = this.element;
    const left = Math.max(8, Math.min(x + 12, window.innerWidth - width - 8));
    const below = y + 16;
    const top = below + height > window.innerHeight - 8 ? Math.max(8, y - height - 12) : below;
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
  }
}

function describe(chunk: PreviewChunk): HTMLElement {
  const rows: [string, string][] = [
    ['Offsets', `${formatNumber(chunk.startOffset)}–${formatNumber(chunk.endOffset)}`],
    ['Size', `${formatNumber(chunk.charCount)} chars · ${formatNumber(chunk.tokenCount)} tokens`],
    ['Embed header', embedHeaderOf(chunk) || '(none)'],
    [
      'Embed size',
      `${formatNumber(chunk.embedText.length)} chars · ${formatNumber(chunk.embedTokenCount)} tokens`,
    ],
    ...Object.entries(chunk.metadata).map(([key, value]): [string, string] => [
      metadataLabel(key),
      metadataValue(key, value),
    ]),
  ];
  return el(
    'div',
    { class: 'card-chunk' },
    el('div', { class: 'card-title' }, `Chunk #${chunk.index}`),
    el('dl', {}, ...rows.flatMap(([term, detail]) => [el('dt', {}, term), el('dd', {}, detail)])),
  );
}

/** What embedText adds before the exact content (title, heading path, a split table's header). */
function embedHeaderOf(chunk: PreviewChunk): string {
  return chunk.embedText.slice(0, chunk.embedText.length - chunk.content.length).trimEnd();
}

const metadataLabels: Record<string, string> = {
  headings: 'Heading path',
  parentIndex: 'Parent',
  level: 'Level',
  language: 'Language',
};

function metadataLabel(key: string): string {
  return metadataLabels[key] ?? key;
}

function metadataValue(key: string, value: unknown): string {
  if (key === 'headings' && Array.isArray(value)) return value.length > 0 ? value.join(' › ') : '(none)';
  if (key === 'parentIndex') return `#${String(value)}`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
