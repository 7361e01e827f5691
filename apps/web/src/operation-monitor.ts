import { el, formatNumber, uniqueId } from './dom.ts';
import type { ErrorBanner } from './error-banner.ts';
import type { Session } from './session.ts';

interface Unsubscribable {
  unsubscribe(): void;
}

/** Progress of one operation from its SSE stream (tRPC subscription), with a cancel button. */
export class OperationMonitor {
  readonly element: HTMLElement;
  readonly #session: Session;
  readonly #errors: ErrorBanner;
  readonly #onFinished: () => void;
  readonly #bar: HTMLProgressElement;
  readonly #status = el('div', { class: 'operation-status', 'aria-live': 'polite' });
  readonly #cancel = el('button', { type: 'button', class: 'danger' }, 'Cancel');
  #operationId: string | undefined;
  #subscription: Unsubscribable | undefined;

  constructor(session: Session, errors: ErrorBanner, onFinished: () => void) {
    this.#session = session;
    this.#errors = errors;
    this.#onFinished = onFinished;
    const labelId = uniqueId('operation');
    this.#bar = el('progress', { max: 1, value: 0, 'aria-labelledby': labelId });
    this.#cancel.addEventListener('click', () => void this.#cancelOperation());
    this.element = el(
      'div',
      { class: 'operation', hidden: true },
      el('div', { id: labelId, class: 'operation-label' }, 'Operation progress'),
      el('div', { class: 'row' }, this.#bar, this.#cancel),
      this.#status,
    );
  }

  follow(operationId: string): void {
    this.reset();
    this.#operationId = operationId;
    this.element.hidden = false;
    this.#cancel.disabled = false;
    this.#status.textContent = 'Queued…';
    this.#subscription = this.#session.client.operations.progress.subscribe(
      { operationId },
      {
        onData: ({ data: event }) => {
          if (event.type === 'started') {
            this.#bar.max = Math.max(1, event.documentsTotal);
            this.#status.textContent = `Started: ${event.documentsTotal} documents`;
            return;
          }
          this.#bar.max = Math.max(1, event.documentsTotal);
          this.#bar.value = event.documentsDone;
          const counts = `${event.documentsDone} of ${event.documentsTotal} documents · ${formatNumber(event.chunksCreated)} chunks`;
          if (event.type === 'document_completed') {
            this.#status.textContent = `${counts} · last: ${event.currentDocument.name}`;
            return;
          }
          this.#cancel.disabled = true;
          this.#status.textContent =
            event.type === 'failed'
              ? `Failed (${event.error.code}): ${event.error.message} · ${counts}`
              : `${event.type === 'completed' ? 'Completed' : 'Cancelled'} · ${counts}`;
          this.#status.dataset.state = event.type;
          this.#onFinished();
        },
        onError: (error) => {
          this.#cancel.disabled = true;
          this.#errors.show(error);
        },
      },
    );
  }

  reset(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#operationId = undefined;
    this.#bar.value = 0;
    delete this.#status.dataset.state;
    this.element.hidden = true;
  }

  async #cancelOperation(): Promise<void> {
    if (!this.#operationId) return;
    this.#cancel.disabled = true;
    try {
      await this.#session.client.operations.cancel.mutate({ id: this.#operationId });
      if (!this.#status.dataset.state)
        this.#status.textContent = 'Cancelling: stops before the next document…';
    } catch (error) {
      this.#errors.show(error);
    }
  }
}
