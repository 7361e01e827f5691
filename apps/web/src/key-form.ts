import { el, uniqueId } from './dom.ts';
import type { Session } from './session.ts';

/** Entering the API key once; afterwards the header only says a key is saved. */
export function keyForm(session: Session): HTMLFormElement {
  const id = uniqueId('api-key');
  const input = el('input', {
    id,
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'printed by the server on first start',
  });
  const status = el('span', { class: 'key-status', 'aria-live': 'polite' });
  const forget = el('button', { type: 'button', class: 'secondary' }, 'Forget key');
  const form = el(
    'form',
    { class: 'key-form', 'aria-label': 'Authentication' },
    el('label', { for: id }, 'API key'),
    input,
    el('button', { type: 'submit' }, 'Save key'),
    forget,
    status,
  );
  const showStatus = () => {
    status.textContent = session.apiKey ? 'Key saved in this browser' : 'No key yet';
    forget.hidden = !session.apiKey;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    session.setApiKey(input.value.trim());
    input.value = '';
  });
  forget.addEventListener('click', () => session.setApiKey(undefined));
  session.onChange(showStatus);
  showStatus();
  return form;
}
