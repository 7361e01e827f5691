import type { StrategyInfo } from './api.ts';
import { ConfigForm, type ConfigValues } from './config-form.ts';
import { el, uniqueId } from './dom.ts';
import { parametersOf } from './json-schema.ts';

/** The chosen strategy and its parameters; shared by preview, compare and apply. */
export class StrategyPicker {
  readonly element: HTMLElement;
  readonly form: ConfigForm;
  readonly #strategies: StrategyInfo[];
  readonly #select: HTMLSelectElement;
  readonly #description = el('p', { class: 'hint strategy-description' });
  /** Keys every strategy accepts (size, overlap, unit, tokenizer): what compare carries over. */
  readonly #sharedKeys: string[];

  constructor(strategies: StrategyInfo[], onChange: () => void) {
    this.#strategies = strategies;
    const keySets = strategies.map((strategy) => Object.keys(parametersOf(strategy).properties ?? {}));
    this.#sharedKeys = (keySets[0] ?? []).filter((key) => keySets.every((keys) => keys.includes(key)));
    this.form = new ConfigForm(onChange);
    const id = uniqueId('strategy');
    this.#select = el(
      'select',
      { id, name: 'strategy', 'aria-describedby': `${id}-description` },
      ...strategies.map((strategy) => el('option', { value: strategy.name }, strategy.name)),
    );
    this.#select.value = strategies.some((strategy) => strategy.name === 'recursive')
      ? 'recursive'
      : (strategies[0]?.name ?? '');
    this.#description.id = `${id}-description`;
    const reset = el('button', { type: 'button', class: 'secondary' }, 'Reset parameters');
    this.#select.addEventListener('change', () => {
      this.#show();
      onChange();
    });
    reset.addEventListener('click', () => {
      this.form.reset(this.strategy);
      onChange();
    });
    this.element = el(
      'div',
      { class: 'strategy-picker' },
      el('div', { class: 'field' }, el('label', { for: id }, 'Strategy'), this.#select),
      this.#description,
      this.form.element,
      reset,
    );
    this.#show();
  }

  get strategy(): StrategyInfo {
    const chosen = this.#strategies.find((strategy) => strategy.name === this.#select.value);
    if (!chosen) throw new Error(`No strategy named ${this.#select.value}`);
    return chosen;
  }

  get strategies(): readonly StrategyInfo[] {
    return this.#strategies;
  }

  /** The parameters the user set for the chosen strategy; undefined while one does not parse. */
  config(): ConfigValues | undefined {
    return this.form.read();
  }

  /** The user's parameters that every strategy accepts. */
  sharedConfig(): ConfigValues {
    const config = this.form.read() ?? {};
    return Object.fromEntries(Object.entries(config).filter(([key]) => this.#sharedKeys.includes(key)));
  }

  #show(): void {
    const { description, bestFor } = this.strategy;
    this.#description.textContent = `${description} Best for: ${bestFor.join(', ')}.`;
    this.form.showStrategy(this.strategy);
  }
}
