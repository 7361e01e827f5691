import { strategyChoice } from '@chunkflow/client';
import type { Comparison } from './api.ts';
import type { DocumentEditor } from './document-editor.ts';
import { el, formatNumber, formatRatio } from './dom.ts';
import { ErrorBanner } from './error-banner.ts';
import type { Session } from './session.ts';
import type { StrategyPicker } from './strategy-picker.ts';

const MIN_STRATEGIES = 2;
const MAX_STRATEGIES = 6;
const INITIALLY_CHECKED = ['fixed', 'recursive', 'markdown', 'sentence'];

type Result = Comparison['results'][number];

/** Rows of the comparison table: what a metric is called and how a result shows it. */
const rows: [string, (result: Result) => string][] = [
  ['Chunks', (result) => formatNumber(result.totalChunks)],
  ['Mean size (chars)', (result) => formatNumber(result.metrics.chars.mean)],
  ['Smallest–largest (chars)', (result) => `${result.metrics.chars.min}–${result.metrics.chars.max}`],
  ['Mean size (tokens)', (result) => formatNumber(result.metrics.tokens.mean)],
  ['Ends on a sentence', (result) => formatRatio(result.metrics.sentenceBoundaryRatio)],
  ['Ends on a paragraph', (result) => formatRatio(result.metrics.paragraphBoundaryRatio)],
  ['Overlap', (result) => formatRatio(result.metrics.overlapRatio)],
  ['Coverage', (result) => formatRatio(result.metrics.coverage)],
  ['Score', (result) => result.score.score.toFixed(2)],
  ['Time (ms)', (result) => formatNumber(result.processingTimeMs, 1)],
];

/** Two to six strategies on the current document, side by side, with the server's pick. */
export class ComparePanel {
  readonly element: HTMLElement;
  readonly #errors = new ErrorBanner();
  readonly #results = el('div', { class: 'compare-results', 'aria-live': 'polite' });
  readonly #checkboxes: HTMLInputElement[];
  readonly #button = el('button', { type: 'submit' }, 'Compare');

  constructor(session: Session, source: DocumentEditor, picker: StrategyPicker) {
    this.#checkboxes = picker.strategies.map((strategy) =>
      el('input', {
        type: 'checkbox',
        name: 'compare-strategy',
        value: strategy.name,
        checked: INITIALLY_CHECKED.includes(strategy.name),
      }),
    );
    const form = el(
      'form',
      { class: 'compare-form' },
      el(
        'fieldset',
        {},
        el('legend', {}, `Strategies to compare (${MIN_STRATEGIES}–${MAX_STRATEGIES})`),
        ...this.#checkboxes.map((box) => el('label', { class: 'check' }, box, ` ${box.value}`)),
      ),
      el(
        'p',
        { class: 'hint' },
        'Runs on the document at the left, with its size, overlap, unit and tokenizer where you changed them.',
      ),
      this.#button,
    );
    form.addEventListener('change', () => this.#limitChoice());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#compare(session, source, picker);
    });
    this.element = el('section', { class: 'compare-panel' }, form, this.#errors.element, this.#results);
    this.#limitChoice();
  }

  #chosen(): string[] {
    return this.#checkboxes.filter((box) => box.checked).map((box) => box.value);
  }

  /** The API takes 2–6 strategies: the button waits for two, further boxes lock at six. */
  #limitChoice(): void {
    const count = this.#chosen().length;
    this.#button.disabled = count < MIN_STRATEGIES;
    for (const box of this.#checkboxes) box.disabled = !box.checked && count >= MAX_STRATEGIES;
  }

  async #compare(session: Session, source: DocumentEditor, picker: StrategyPicker): Promise<void> {
    this.#button.disabled = true;
    this.element.setAttribute('aria-busy', 'true');
    try {
      const config = picker.sharedConfig();
      const comparison = await session.client.chunking.compare.mutate({
        content: source.text,
        strategies: this.#chosen().map((strategy) => strategyChoice(strategy, config)),
        sampleSize: 0,
      });
      this.#errors.clear();
      this.#results.replaceChildren(...resultsView(comparison));
    } catch (error) {
      this.#errors.show(error);
    } finally {
      this.element.setAttribute('aria-busy', 'false');
      this.#limitChoice();
    }
  }
}

function resultsView(comparison: Comparison): HTMLElement[] {
  const recommended = comparison.recommendation.strategy;
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col' }, 'Metric'),
    ...comparison.results.map((result) =>
      el(
        'th',
        { scope: 'col', class: result.strategy === recommended ? 'recommended' : undefined },
        result.strategy,
        result.strategy === recommended ? el('span', { class: 'badge cached' }, 'recommended') : null,
      ),
    ),
  );
  const body = rows.map(([label, show]) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, label),
      ...comparison.results.map((result) =>
        el('td', { class: result.strategy === recommended ? 'recommended' : undefined }, show(result)),
      ),
    ),
  );
  return [
    el(
      'div',
      { class: 'recommendation', 'data-testid': 'recommendation' },
      el('strong', {}, `Recommended: ${recommended}. `),
      comparison.recommendation.reason,
      el(
        'div',
        { class: 'hint' },
        `Content analysis suggests ${comparison.contentAnalysis.strategy}: ${comparison.contentAnalysis.reason}`,
      ),
    ),
    el(
      'div',
      { class: 'table-scroll' },
      el(
        'table',
        { class: 'compare-table' },
        el('caption', {}, 'Strategies side by side'),
        el('thead', {}, head),
        el('tbody', {}, ...body),
      ),
    ),
  ];
}
