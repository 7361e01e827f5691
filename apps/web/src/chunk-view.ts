import type { PreviewChunk } from './api.ts';
import { ChunkCard } from './chunk-card.ts';
import { el } from './dom.ts';
import { segmentsOf } from './segments.ts';

/**
 * The document with its chunks highlighted: one text node per run of text covered by the same
 * chunks (a span when covered), so a 1 MB document with thousands of chunks is a few thousand
 * nodes. Chunks alternate two colours; runs shared by two chunks are striped (overlap). Each
 * chunk's first run is its keyboard stop (roving tabindex: Tab enters, arrows move).
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
    for (const segment of segmentsOf(text.length, chunks)) {
      const content = text.slice(segment.start, segment.end);
      const [first] = segment.chunks;
      if (first === undefined) {
        fragment.append(content);
        continue;
      }
      const overlap = segment.chunks.length > 1;
      const span = el(
        'span',
        {
          class: overlap ? 'chunk overlap' : `chunk ${first % 2 === 0 ? 'even' : 'odd'}`,
          'data-chunks': segment.chunks.map((position) => chunks[position]?.index).join(' '),
        },
        content,
      );
      for (const position of segment.chunks) this.#spansOf[position]?.push(span);
      fragment.append(span);
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
