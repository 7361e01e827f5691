type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined>;

/**
 * Creates an element with attributes (false/null/undefined leave one out, true sets it empty) and
 * children (strings become text nodes, so nothing is ever parsed as HTML).
 */
export function el<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** A process-unique id for label/aria wiring. */
let nextId = 0;
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

export function formatNumber(value: number, fractionDigits = 0): string {
  return value.toLocaleString('en', { maximumFractionDigits: fractionDigits });
}

export function formatRatio(value: number): string {
  return `${(value * 100).toFixed(0)}%`;
}
