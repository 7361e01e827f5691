import { el, formatNumber, uniqueId } from './dom.ts';

const SAMPLE = `# Chunkflow playground

Paste a document here, or drop a file onto this box, and watch how each strategy cuts it.

## Why chunking matters

Retrieval works on chunks, not documents. Chunks that are too large dilute the match; chunks that are too small lose their context. Overlap keeps a sentence that straddles a boundary findable from both sides.

## Strategies

- fixed: windows of exactly chunkSize.
- recursive: paragraphs, then lines, then sentences, then words.
- markdown: one section per heading, with its heading path.
`;

/** The document being chunked: pasted or typed text, or a dropped/opened file. */
export class DocumentEditor {
  readonly textarea: HTMLTextAreaElement;
  readonly element: HTMLElement;
  readonly #count = el('span', { class: 'hint', 'aria-live': 'polite' });
  #name = 'pasted-text.md';
  /** Set while the text shown is a stored document's, unedited: previews then cite its pages. */
  #documentId: string | undefined;
  readonly #changed: () => void;

  constructor(onChange: () => void) {
    const id = uniqueId('document');
    const fileId = uniqueId('document-file');
    this.textarea = el('textarea', { id, rows: 12, spellcheck: 'false', 'aria-describedby': `${id}-hint` });
    this.textarea.value = SAMPLE;
    const fileInput = el('input', {
      id: fileId,
      type: 'file',
      accept: 'text/*,.md,.txt,.json,.csv,.ts,.js,.py',
    });
    const changed = () => {
      this.#updateCount();
      onChange();
    };
    this.#changed = changed;
    this.textarea.addEventListener('input', () => {
      this.#name = 'pasted-text.md';
      this.#documentId = undefined;
      changed();
    });
    fileInput.addEventListener('change', () => {
      const [file] = fileInput.files ?? [];
      if (file) void this.#load(file).then(changed);
    });
    this.element = el(
      'fieldset',
      { class: 'document-source' },
      el('legend', {}, 'Document'),
      el('label', { for: id }, 'Text (paste, type, or drop a file)'),
      this.textarea,
      el(
        'div',
        { class: 'row', id: `${id}-hint` },
        this.#count,
        fileInput,
        el('label', { for: fileId, class: 'file-button' }, 'Open a file…'),
      ),
    );
    this.element.addEventListener('dragover', (event) => {
      event.preventDefault();
      this.element.classList.add('dropping');
    });
    this.element.addEventListener('dragleave', () => this.element.classList.remove('dropping'));
    this.element.addEventListener('drop', (event) => {
      event.preventDefault();
      this.element.classList.remove('dropping');
      const file = event.dataTransfer?.files[0];
      if (file) void this.#load(file).then(changed);
    });
    this.#updateCount();
  }

  get text(): string {
    return this.textarea.value;
  }

  /** The file's name, or a stand-in for pasted text (used when adding it to a collection). */
  get name(): string {
    return this.#name;
  }

  get documentId(): string | undefined {
    return this.#documentId;
  }

  /** Shows a stored (possibly converted) document; it is previewed by id until edited. */
  showDocument(document: { id: string; name: string; content: string }): void {
    this.textarea.value = document.content;
    this.#name = document.name;
    this.#documentId = document.id;
    this.#changed();
  }

  async #load(file: File): Promise<void> {
    this.textarea.value = await file.text();
    this.#name = file.name;
    this.#documentId = undefined;
  }

  #updateCount(): void {
    this.#count.textContent = `${formatNumber(this.textarea.value.length)} characters`;
  }
}
