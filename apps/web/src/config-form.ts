import type { StrategyInfo } from './api.ts';
import { el, uniqueId } from './dom.ts';
import { type JsonSchema, parametersOf } from './json-schema.ts';

export type ConfigValues = Record<string, unknown>;

/** How one schema shape is edited as text and read back. */
interface Codec {
  control: 'number' | 'select' | 'text';
  format(value: unknown): string;
  /** Throws with a readable message when the text is not a value of the schema's type. */
  parse(text: string): unknown;
}

function codecFor(schema: JsonSchema): Codec {
  if (schema.type === 'integer' || schema.type === 'number') {
    return {
      control: 'number',
      format: (value) => (value === undefined ? '' : String(value)),
      parse: (text) => {
        const value = Number(text);
        if (text.trim() === '' || !Number.isFinite(value)) throw new Error('Enter a number');
        if (schema.type === 'integer' && !Number.isInteger(value)) throw new Error('Enter a whole number');
        return value;
      },
    };
  }
  if (schema.enum) {
    return { control: 'select', format: (value) => String(value ?? ''), parse: (text) => text };
  }
  if (schema.type === 'string') {
    return { control: 'text', format: (value) => String(value ?? ''), parse: (text) => text };
  }
  if (schema.type === 'array' && (schema.items?.type === 'integer' || schema.items?.type === 'number')) {
    return {
      control: 'text',
      format: (value) => (Array.isArray(value) ? value.join(', ') : ''),
      parse: (text) => {
        const values = text
          .split(/[\s,]+/)
          .filter(Boolean)
          .map(Number);
        if (values.some((value) => !Number.isFinite(value)))
          throw new Error('Enter numbers separated by commas');
        return values;
      },
    };
  }
  // Lists of strings (separators may be whitespace) and objects: JSON keeps every character visible.
  return {
    control: 'text',
    format: (value) => (value === undefined ? '' : JSON.stringify(value)),
    parse: (text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error('Enter JSON, e.g. ["\\n\\n", "\\n", " "]');
      }
    },
  };
}

interface Field {
  key: string;
  codec: Codec;
  input: HTMLInputElement | HTMLSelectElement;
  error: HTMLElement;
  row: HTMLElement;
}

/**
 * A strategy's parameters, generated from the JSON Schema the server describes it with: one field
 * per key it accepts. Only parameters the user changed are sent, so the engine's derived defaults
 * (a token-sized chunkSize, hierarchical levels from chunkSize) stay consistent; the rest show
 * what it ran.
 */
export class ConfigForm {
  readonly element = el('fieldset', { class: 'config-form' }, el('legend', {}, 'Parameters'));
  readonly #onChange: () => void;
  /** Text the user typed per key; kept across strategy switches so shared keys carry over. */
  readonly #userText = new Map<string, string>();
  #fields: Field[] = [];

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  showStrategy(strategy: StrategyInfo): void {
    const properties = Object.entries(parametersOf(strategy).properties ?? {});
    this.#fields = properties.map(([key, schema]) => this.#field(key, schema, strategy.defaultConfig[key]));
    const legend = el('legend', {}, 'Parameters');
    this.element.replaceChildren(legend, ...this.#fields.map((field) => field.row));
  }

  /** The parameters the user set, or undefined while one of them does not parse. */
  read(): ConfigValues | undefined {
    const config: ConfigValues = {};
    let valid = true;
    for (const field of this.#fields) {
      this.#setError(field, '');
      const text = this.#userText.get(field.key);
      if (text === undefined) continue;
      try {
        if (field.input instanceof HTMLInputElement && !field.input.validity.valid) {
          throw new Error(field.input.validationMessage);
        }
        config[field.key] = field.codec.parse(text);
      } catch (error) {
        valid = false;
        this.#setError(field, (error as Error).message);
      }
    }
    return valid ? config : undefined;
  }

  /** Shows the normalised config the engine ran in the fields the user left alone. */
  reflect(config: ConfigValues): void {
    for (const field of this.#fields) {
      if (!this.#userText.has(field.key) && field.key in config) {
        field.input.value = field.codec.format(config[field.key]);
      }
    }
  }

  /** Points at the parameter the server rejected. */
  markInvalid(key: string, message: string): void {
    const field = this.#fields.find((candidate) => candidate.key === key);
    if (field) this.#setError(field, message);
  }

  reset(strategy: StrategyInfo): void {
    this.#userText.clear();
    this.showStrategy(strategy);
  }

  #field(key: string, schema: JsonSchema, defaultValue: unknown): Field {
    const codec = codecFor(schema);
    const id = uniqueId(`param-${key}`);
    const hintId = `${id}-hint`;
    const errorId = `${id}-error`;
    const input = this.#control(codec, schema, id, schema.description ? `${hintId} ${errorId}` : errorId);
    input.value = this.#userText.get(key) ?? codec.format(defaultValue);
    const error = el('div', { class: 'field-error', id: errorId });
    input.addEventListener(codec.control === 'select' ? 'change' : 'input', () => {
      this.#userText.set(key, input.value);
      this.#onChange();
    });
    const row = el(
      'div',
      { class: 'field' },
      el('label', { for: id }, key),
      input,
      schema.description ? el('div', { class: 'hint', id: hintId }, hintOf(schema)) : null,
      error,
    );
    return { key, codec, input, error, row };
  }

  #control(codec: Codec, schema: JsonSchema, id: string, describedBy: string) {
    if (codec.control === 'select') {
      const options = (schema.enum ?? []).map((value) =>
        el('option', { value: String(value) }, String(value)),
      );
      return el('select', { id, 'aria-describedby': describedBy }, ...options);
    }
    const isNumber = codec.control === 'number';
    return el('input', {
      id,
      type: isNumber ? 'number' : 'text',
      inputmode: isNumber ? 'numeric' : undefined,
      min: isNumber ? schema.minimum : undefined,
      max: isNumber ? schema.maximum : undefined,
      step: schema.type === 'number' ? 'any' : undefined,
      spellcheck: 'false',
      autocomplete: 'off',
      'aria-describedby': describedBy,
    });
  }

  #setError(field: Field, message: string): void {
    field.error.textContent = message;
    field.input.setAttribute('aria-invalid', message ? 'true' : 'false');
  }
}

function hintOf(schema: JsonSchema): string {
  const range =
    schema.minimum !== undefined && schema.maximum !== undefined
      ? ` (${schema.minimum}–${schema.maximum})`
      : '';
  return `${schema.description ?? ''}${range}`;
}
