import { el } from './dom.ts';
import { isAbort, readableError } from './errors.ts';

/** One place per panel where failures appear as text a person can act on (and quote the id of). */
export class ErrorBanner {
  readonly element = el('div', { class: 'error-banner', role: 'alert', hidden: true });

  show(error: unknown): void {
    if (isAbort(error)) return;
    const readable = readableError(error);
    this.element.replaceChildren(
      el('strong', {}, readable.code),
      ` ${readable.message}`,
      ...(readable.field ? [el('span', { class: 'error-field' }, ` (parameter ${readable.field})`)] : []),
      ...(readable.correlationId
        ? [el('div', { class: 'correlation' }, 'Correlation id: ', el('code', {}, readable.correlationId))]
        : []),
    );
    this.element.hidden = false;
  }

  clear(): void {
    this.element.hidden = true;
    this.element.replaceChildren();
  }
}
