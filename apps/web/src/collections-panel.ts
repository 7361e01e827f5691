import { strategyChoice } from '@chunkflow/client';
import type { Collection, Statistics } from './api.ts';
import type { DocumentEditor } from './document-editor.ts';
import { el, formatNumber, uniqueId } from './dom.ts';
import { ErrorBanner } from './error-banner.ts';
import { OperationMonitor } from './operation-monitor.ts';
import type { Session } from './session.ts';
import { sizeChart } from './size-chart.ts';
import type { StrategyPicker } from './strategy-picker.ts';
import { ACCEPTED_FILES, uploadFile } from './upload.ts';

/** A collection: choose or create it, add documents, apply the chosen strategy, read its statistics. */
export class CollectionsPanel {
  readonly element: HTMLElement;
  readonly #session: Session;
  readonly #source: DocumentEditor;
  readonly #picker: StrategyPicker;
  readonly #errors = new ErrorBanner();
  readonly #select: HTMLSelectElement;
  readonly #documents = el('ul', { class: 'documents', 'aria-live': 'polite' });
  readonly #statistics = el('div', { class: 'statistics', 'aria-live': 'polite' });
  readonly #work = el('div', { class: 'collection-work', hidden: true });
  readonly #monitor: OperationMonitor;
  /** The key the collection list was loaded with; another key (or none) means load again. */
  #loadedWith: string | undefined;

  constructor(session: Session, source: DocumentEditor, picker: StrategyPicker) {
    this.#session = session;
    this.#source = source;
    this.#picker = picker;
    this.#monitor = new OperationMonitor(session, this.#errors, () => void this.#showStatistics());
    session.onChange(() => {
      if (!this.element.hidden) void this.show();
    });

    const selectId = uniqueId('collection');
    this.#select = el('select', { id: selectId });
    this.#select.addEventListener('change', () => void this.#open());

    const nameId = uniqueId('collection-name');
    const nameInput = el('input', { id: nameId, type: 'text', required: true, autocomplete: 'off' });
    const createForm = el(
      'form',
      { class: 'row' },
      el('label', { for: nameId }, 'New collection'),
      nameInput,
      el('button', { type: 'submit' }, 'Create'),
    );
    createForm.addEventListener('submit', (event) => {
      event.preventDefault();
      // Until the new collection is shown, files must not land in the one being left.
      this.#work.hidden = true;
      void this.#attempt(async () => {
        try {
          const created = await session.client.collections.create.mutate({ name: nameInput.value });
          nameInput.value = '';
          await this.#load(created.id);
        } finally {
          this.#work.hidden = !this.#collectionId;
        }
      });
    });

    const addCurrent = el('button', { type: 'button' }, 'Add the document at the left');
    addCurrent.addEventListener('click', () =>
      this.#attempt(() => this.#addDocument(this.#source.name, this.#source.text)),
    );
    const filesId = uniqueId('collection-files');
    const filesInput = el('input', {
      id: filesId,
      type: 'file',
      multiple: true,
      accept: ACCEPTED_FILES,
    });
    filesInput.addEventListener('change', () => void this.#addFiles([...(filesInput.files ?? [])]));
    const apply = el('button', { type: 'button' }, 'Apply the chosen strategy');
    apply.addEventListener('click', () => void this.#apply());
    const refresh = el('button', { type: 'button', class: 'secondary' }, 'Refresh statistics');
    refresh.addEventListener('click', () => void this.#showStatistics());

    this.#work.append(
      el('h3', {}, 'Documents'),
      this.#documents,
      el(
        'div',
        { class: 'row' },
        addCurrent,
        filesInput,
        el('label', { for: filesId, class: 'file-button' }, 'Add files…'),
      ),
      el('h3', {}, 'Chunk the collection'),
      el('p', { class: 'hint' }, 'Uses the strategy and parameters chosen at the left.'),
      el('div', { class: 'row' }, apply, refresh),
      this.#monitor.element,
      el('h3', {}, 'Statistics'),
      this.#statistics,
    );
    this.element = el(
      'section',
      { class: 'collections-panel' },
      this.#errors.element,
      el('div', { class: 'row' }, el('label', { for: selectId }, 'Collection'), this.#select),
      createForm,
      this.#work,
    );
    this.element.addEventListener('dragover', (event) => event.preventDefault());
    this.element.addEventListener('drop', (event) => {
      event.preventDefault();
      if (this.#collectionId && !this.#work.hidden)
        void this.#addFiles([...(event.dataTransfer?.files ?? [])]);
    });
  }

  get #collectionId(): string | undefined {
    return this.#select.value || undefined;
  }

  /** Loads the collections when first shown and after the API key changed; keeps a running operation. */
  async show(): Promise<void> {
    if (this.#session.apiKey && this.#loadedWith !== this.#session.apiKey) await this.#load();
  }

  /** Lists the tenant's collections (first page) and opens `select` or the first one. */
  async #load(select?: string): Promise<void> {
    if (!this.#session.apiKey) return;
    this.#loadedWith = this.#session.apiKey;
    await this.#attempt(async () => {
      const page = await this.#session.client.collections.list.query({ limit: 100 });
      this.#select.replaceChildren(
        el('option', { value: '' }, page.items.length > 0 ? 'Choose a collection' : 'No collections yet'),
        ...page.items.map((collection: Collection) =>
          el('option', { value: collection.id }, collection.name),
        ),
      );
      this.#select.value = select ?? page.items[0]?.id ?? '';
      await this.#open();
    });
  }

  async #open(): Promise<void> {
    this.#work.hidden = !this.#collectionId;
    this.#statistics.replaceChildren();
    this.#monitor.reset();
    if (this.#collectionId) await Promise.all([this.#listDocuments(), this.#showStatistics()]);
  }

  async #listDocuments(): Promise<void> {
    const collectionId = this.#collectionId;
    if (!collectionId) return;
    const page = await this.#session.client.documents.list.query({ collectionId, limit: 100 });
    this.#documents.replaceChildren(
      ...(page.items.length === 0
        ? [el('li', { class: 'hint' }, 'No documents yet: add the one at the left, or files.')]
        : page.items.map((document) =>
            el(
              'li',
              {},
              this.#previewButton(document.id),
              document.name,
              el(
                'span',
                { class: 'hint' },
                ` ${formatNumber(document.charCount)} chars${document.pageCount ? ` · ${formatNumber(document.pageCount)} pages` : ''}`,
              ),
            ),
          )),
    );
  }

  /** Opens a stored document at the left: its chunks then show the pages and headings they cite. */
  #previewButton(id: string): HTMLButtonElement {
    const button = el('button', { type: 'button', class: 'secondary' }, 'Preview');
    button.addEventListener('click', () =>
      this.#attempt(async () =>
        this.#source.showDocument(await this.#session.client.documents.get.query({ id })),
      ),
    );
    return button;
  }

  async #addDocument(name: string, content: string): Promise<void> {
    const collectionId = this.#collectionId;
    if (!collectionId) return;
    await this.#session.client.documents.create.mutate({ collectionId, name, content });
    await this.#listDocuments();
  }

  /** Files go up as they are: the server converts PDF, DOCX and HTML, keeping pages and headings. */
  async #addFiles(files: File[]): Promise<void> {
    const collectionId = this.#collectionId;
    const apiKey = this.#session.apiKey;
    if (!collectionId || !apiKey) return;
    await this.#attempt(async () => {
      try {
        for (const file of files) await uploadFile(apiKey, collectionId, file);
      } finally {
        await this.#listDocuments();
      }
    });
  }

  async #apply(): Promise<void> {
    const collectionId = this.#collectionId;
    const config = this.#picker.config();
    if (!collectionId || !config) return;
    await this.#attempt(async () => {
      const started = await this.#session.client.chunking.applyToCollection.mutate({
        collectionId,
        ...strategyChoice(this.#picker.strategy.name, config),
      });
      this.#monitor.follow(started.operationId);
      this.#statistics.replaceChildren(
        el('p', { class: 'hint' }, 'Statistics follow when the operation ends.'),
      );
    });
  }

  async #showStatistics(): Promise<void> {
    const collectionId = this.#collectionId;
    if (!collectionId) return;
    await this.#attempt(async () => {
      const statistics = await this.#session.client.chunking.statistics.query({ collectionId });
      this.#statistics.replaceChildren(...statisticsView(statistics));
    });
  }

  async #attempt(action: () => Promise<void>): Promise<void> {
    try {
      await action();
      this.#errors.clear();
    } catch (error) {
      this.#errors.show(error);
    }
  }
}

function statisticsView(statistics: Statistics): Node[] {
  const operations = Object.entries(statistics.operationsByStatus)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  const facts: [string, string][] = [
    ['Documents', formatNumber(statistics.totalDocuments)],
    ['Chunks', formatNumber(statistics.totalChunks)],
    [
      'Chunk size (chars)',
      `${formatNumber(statistics.avgChunkSize)} on average, ${statistics.minChunkSize}–${statistics.maxChunkSize}`,
    ],
    [
      'embedText size (chars)',
      `${formatNumber(statistics.embedTextSize.avg)} on average, ${statistics.embedTextSize.min}–${statistics.embedTextSize.max}`,
    ],
    ['Operations', operations || 'none yet'],
    [
      'Average processing',
      statistics.avgProcessingMs === null ? '—' : `${formatNumber(statistics.avgProcessingMs)} ms`,
    ],
  ];
  return [
    el(
      'dl',
      { class: 'facts' },
      ...facts.flatMap(([term, detail]) => [el('dt', {}, term), el('dd', {}, detail)]),
    ),
    statistics.sizeDistribution.length > 0
      ? sizeChart(
          statistics.sizeDistribution,
          `Distribution of ${formatNumber(statistics.totalChunks)} chunk sizes`,
        )
      : el('p', { class: 'hint' }, 'No chunks yet: apply a strategy.'),
  ];
}
