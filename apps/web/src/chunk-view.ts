import type { PreviewChunk } from './api.ts';
import { ChunkCard } from './chunk-card.ts';
import { el } from './dom.ts';
import { blockStarts, piecesInBlocks, segmentsOf } from './segments.ts';

/** Text per block of the view; off-screen blocks skip layout, which dominates on large documents. */
const BLOCK_CHARS = 8_192;
/** Rough characters per rendered line, for a block's placeholder height before it is laid out. */
const CHARS_PER_LINE = 100;

/**
 * The document with its chunks highlighted: one text node per run of text covered by the same
 * chunks (a span when covered), so a 1 MB document with thousands of chunks is a few thousand
 * nodes, in blocks that skip layout while off screen. Chunks alternate two colours; runs shared
 * by two chunks are striped (overlap). Each chunk's first run is its keyboard stop (roving
 * tabindex: Tab enters, arrows move).
 */
export class ChunkView {
  readonly card = new ChunkCard();
  readonly element = el('div', {
    class: 'document-view',
    role: 'region',
    'aria-label': 'Document with chunk highlights (arrow keys move between chunks)',
  });
  #chunks: PreviewChunk[] = [];
  #positionOfIndex = new Map<number, number>();
  /** Per chunk position: the spans it covers, for outlining the focused chunk. */
  #spansOf: HTMLElement[][] = [];
  #active = -1;

  constructor() {
    this.element.addEventListener('mouseover', (event) => this.#onPointer(event));
    this.element.addEventListener('mouseleave', () => this.card.hide());
    this.element.addEventListener('focusin', (event) => this.#onFocus(event));
    this.element.addEventListener('focusout', () => this.card.hide());
    this.element.addEventListener('keydown', (event) => this.#onKey(event));
  }

  render(text: string, chunks: PreviewChunk[]): void {
    this.#chunks = chunks;
    this.#positionOfIndex = new Map(chunks.map((chunk, position) => [chunk.index, position]));
    this.#spansOf = chunks.map(() => []);
    this.#active = -1;
    this.card.hide();

    const fragment = document.createDocumentFragment();
    const starts = blockStarts(text, BLOCK_CHARS);
    const blocks = [0, ...starts].map((start, i) => textBlock(text, start, starts[i] ?? text.length));
    fragment.append(...blocks);
    for (const piece of piecesInBlocks(segmentsOf(text.length, chunks), starts)) {
      const content = text.slice(piece.start, piece.end);
      const block = blocks[piece.block] as HTMLElement;
      const [first] = piece.chunks;
      if (first === undefined) {
        block.append(content);
        continue;
      }
      const overlap = piece.chunks.length > 1;
      const span = el(
        'span',
        {
          class: overlap ? 'chunk overlap' : `chunk ${first % 2 === 0 ? 'even' : 'odd'}`,
          'data-chunks': piece.chunks.map((position) => chunks[position]?.index).join(' '),
        },
        content,
      );
      for (const position of piece.chunks) this.#spansOf[position]?.push(span);
      block.append(span);
    }
    this.#spansOf.forEach((spans, position) => {
      const anchor = spans[0];
      if (!anchor) return;
      anchor.tabIndex = position === 0 ? 0 : -1;
      anchor.classList.add('chunk-start');
      anchor.dataset.start = String(chunks[position]?.index);
    });
    this.element.replaceChildren(fragment);
  }

  clear(message: string): void {
    this.#chunks = [];
    this.#spansOf = [];
    this.card.hide();
    this.element.replaceChildren(el('p', { class: 'placeholder' }, message));
  }

  #chunksOf(span: HTMLElement): PreviewChunk[] {
    return (span.dataset.chunks ?? '')
      .split(' ')
      .map((index) => this.#chunks[this.#positionOfIndex.get(Number(index)) ?? -1])
      .filter((chunk): chunk is PreviewChunk => chunk !== undefined);
  }

  #onPointer(event: MouseEvent): void {
    const span = (event.target as HTMLElement).closest<HTMLElement>('span.chunk');
    if (!span) {
      this.card.hide();
      return;
    }
    this.card.show(this.#chunksOf(span), event.clientX, event.clientY);
  }

  #onFocus(event: FocusEvent): void {
    const anchor = event.target as HTMLElement;
    const position = this.#positionOfIndex.get(Number(anchor.dataset.start));
    if (position === undefined) return;
    this.#activate(position);
    const chunk = this.#chunks[position];
    const box = anchor.getClientRects()[0] ?? anchor.getBoundingClientRect();
    if (chunk) this.card.show([chunk], box.left, box.bottom - 8);
  }

  #onKey(event: KeyboardEvent): void {
    if (this.#active < 0) return;
    const last = this.#spansOf.length - 1;
    const target: Record<string, number> = {
      ArrowRight: Math.min(this.#active + 1, last),
      ArrowDown: Math.min(this.#active + 1, last),
      ArrowLeft: Math.max(this.#active - 1, 0),
      ArrowUp: Math.max(this.#active - 1, 0),
      Home: 0,
      End: last,
    };
    if (event.key === 'Escape') {
      this.card.hide();
      return;
    }
    const next = target[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.#spansOf[next]?.[0]?.focus();
  }

  /** Moves the roving tab stop to a chunk and outlines all of its runs. */
  #activate(position: number): void {
    for (const span of this.#spansOf[this.#active] ?? []) span.classList.remove('active');
    const previousAnchor = this.#spansOf[this.#active]?.[0];
    if (previousAnchor) previousAnchor.tabIndex = -1;
    this.#active = position;
    for (const span of this.#spansOf[position] ?? []) span.classList.add('active');
    const anchor = this.#spansOf[position]?.[0];
    if (anchor) anchor.tabIndex = 0;
  }
}

/** A block of the view, sized in advance by its line count so the scrollbar is about right. */
function textBlock(text: string, start: number, end: number): HTMLElement {
  let lines = 0;
  let lineStart = start;
  while (lineStart < end) {
    const lineBreak = text.indexOf('\n', lineStart);
    const lineEnd = lineBreak === -1 || lineBreak >= end ? end : lineBreak + 1;
    lines += Math.max(1, Math.ceil((lineEnd - lineStart) / CHARS_PER_LINE));
    lineStart = lineEnd;
  }
  const block = el('div', { class: 'text-block' });
  block.style.containIntrinsicBlockSize = `auto ${(lines * 1.6).toFixed(1)}em`;
  return block;
}
