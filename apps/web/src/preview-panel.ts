import { strategyChoice } from '@chunkflow/client';
import type { Preview, PreviewChunk } from './api.ts';
import { ChunkView } from './chunk-view.ts';
import type { DocumentEditor } from './document-editor.ts';
import { el, formatNumber, formatRatio, uniqueId } from './dom.ts';
import { ErrorBanner } from './error-banner.ts';
import { readableError } from './errors.ts';
import type { Session } from './session.ts';
import type { StrategyPicker } from './strategy-picker.ts';

/** Chunks returned per preview: the API's most; a longer list is counted but not highlighted. */
const MAX_CHUNKS = 10_000;
const DEBOUNCE_MS = 300;

/** The live preview: re-chunks (debounced) whenever the text, strategy or a parameter changes. */
export class PreviewPanel {
  readonly element: HTMLElement;
  readonly view = new ChunkView();
  readonly #errors = new ErrorBanner();
  readonly #summary = el('div', { class: 'summary', 'aria-live': 'polite' });
  readonly #levelSelect: HTMLSelectElement;
  readonly #levelField: HTMLElement;
  readonly #session: Session;
  readonly #source: DocumentEditor;
  readonly #picker: StrategyPicker;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: AbortController | undefined;
  #preview: Preview | undefined;
  #previewText = '';

  constructor(session: Session, source: DocumentEditor, picker: StrategyPicker) {
    this.#session = session;
    this.#source = source;
    this.#picker = picker;
    const levelId = uniqueId('level');
    this.#levelSelect = el('select', { id: levelId });
    this.#levelSelect.addEventListener('change', () => this.#render());
    this.#levelField = el(
      'div',
      { class: 'field inline', hidden: true },
      el('label', { for: levelId }, 'Show level'),
      this.#levelSelect,
    );
    this.element = el(
      'section',
      { class: 'preview-panel', 'aria-busy': 'false' },
      this.#errors.element,
      el('div', { class: 'row' }, this.#summary, this.#levelField),
      legend(),
      this.view.element,
      this.view.card.element,
    );
  }

  /** Asks for a new preview once the input has been still for a moment. */
  schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.refresh(), DEBOUNCE_MS);
  }

  async refresh(): Promise<void> {
    clearTimeout(this.#timer);
    this.#inFlight?.abort();
    const text = this.#source.text;
    if (!this.#session.apiKey) return this.#idle('Enter your API key above to see the chunks.');
    if (text.length === 0) return this.#idle('Paste text or drop a file to see its chunks.');
    const config = this.#picker.config();
    if (!config) return;

    const controller = new AbortController();
    this.#inFlight = controller;
    this.element.setAttribute('aria-busy', 'true');
    try {
      const documentId = this.#source.documentId;
      const preview = await this.#session.client.chunking.preview.mutate(
        {
          ...(documentId ? { documentId } : { content: text }),
          ...strategyChoice(this.#picker.strategy.name, config),
          maxChunks: MAX_CHUNKS,
        },
        { signal: controller.signal },
      );
      if (controller.signal.aborted) return;
      this.#errors.clear();
      this.#preview = preview;
      this.#previewText = text;
      this.#picker.form.reflect(preview.config);
      this.#showLevels(preview.chunks);
      this.#render();
    } catch (error) {
      if (controller.signal.aborted) return;
      this.#errors.show(error);
      const { field, message } = readableError(error);
      if (field) this.#picker.form.markInvalid(field, message);
    } finally {
      if (this.#inFlight === controller) this.element.setAttribute('aria-busy', 'false');
    }
  }

  #idle(message: string): void {
    this.#preview = undefined;
    this.#summary.replaceChildren();
    this.#levelField.hidden = true;
    this.view.clear(message);
  }

  /** Hierarchical chunks nest; one level at a time keeps "overlap" meaning overlap. */
  #showLevels(chunks: readonly PreviewChunk[]): void {
    const levels = [...new Set(chunks.map(levelOf).filter((level) => level !== undefined))].sort(
      (a, b) => a - b,
    );
    const previous = this.#levelSelect.value;
    this.#levelSelect.replaceChildren(
      ...levels.map((level) => el('option', { value: String(level) }, `level ${level}`)),
    );
    if (levels.map(String).includes(previous)) this.#levelSelect.value = previous;
    this.#levelField.hidden = levels.length < 2;
  }

  #render(): void {
    const preview = this.#preview;
    if (!preview) return;
    const level = this.#levelField.hidden ? undefined : Number(this.#levelSelect.value);
    const shown = level === undefined ? preview.chunks : preview.chunks.filter((c) => levelOf(c) === level);
    this.view.render(this.#previewText, shown);
    this.#summary.replaceChildren(...summaryOf(preview));
  }
}

function levelOf(chunk: PreviewChunk): number | undefined {
  return typeof chunk.metadata.level === 'number' ? chunk.metadata.level : undefined;
}

function summaryOf(preview: Preview): (Node | string)[] {
  const { metrics } = preview;
  const unit = preview.config.sizeUnit === 'tokens' ? 'tokens' : 'chars';
  const sizes = unit === 'tokens' ? metrics.tokens : metrics.chars;
  return [
    el('strong', { 'data-testid': 'total-chunks' }, `${formatNumber(preview.totalChunks)} chunks`),
    ` · ${formatNumber(sizes.mean)} ${unit} on average (${formatNumber(sizes.min)}–${formatNumber(sizes.max)})`,
    ` · overlap ${formatRatio(metrics.overlapRatio)} · coverage ${formatRatio(metrics.coverage)}`,
    ` · ${formatNumber(preview.processingTimeMs, 1)} ms `,
    el(
      'span',
      { class: preview.cached ? 'badge cached' : 'badge', 'data-testid': 'cached' },
      preview.cached ? 'cached' : 'computed',
    ),
    preview.chunks.length < preview.totalChunks
      ? el(
          'div',
          { class: 'notice' },
          `Highlighting the first ${formatNumber(preview.chunks.length)} chunks.`,
        )
      : '',
  ];
}

function legend(): HTMLElement {
  return el(
    'div',
    { class: 'legend', 'aria-hidden': 'true' },
    el('span', { class: 'chunk even' }, 'chunk'),
    el('span', { class: 'chunk odd' }, 'next chunk'),
    el('span', { class: 'chunk overlap' }, 'overlap'),
    el('span', {}, 'not in any chunk'),
    el('span', { class: 'hint' }, 'Hover a chunk, or Tab into the document and use the arrow keys.'),
  );
}
