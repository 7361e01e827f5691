import { el } from './dom.ts';

export interface Tab {
  id: string;
  label: string;
  panel: HTMLElement;
}

/** WAI-ARIA tabs: one tab stop, arrow keys move between tabs, the chosen panel alone is shown. */
export function tabs(items: readonly Tab[], onSelect: (id: string) => void): HTMLElement {
  const buttons = items.map((item) =>
    el(
      'button',
      { type: 'button', role: 'tab', id: `tab-${item.id}`, 'aria-controls': `panel-${item.id}` },
      item.label,
    ),
  );
  const select = (index: number, focus: boolean) => {
    items.forEach((item, i) => {
      const chosen = i === index;
      const button = buttons[i] as HTMLButtonElement;
      button.setAttribute('aria-selected', String(chosen));
      button.tabIndex = chosen ? 0 : -1;
      item.panel.hidden = !chosen;
      if (chosen && focus) button.focus();
    });
    const chosen = items[index];
    if (chosen) onSelect(chosen.id);
  };
  buttons.forEach((button, index) => {
    button.addEventListener('click', () => select(index, false));
    button.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (step === 0) return;
      event.preventDefault();
      select((index + step + items.length) % items.length, true);
    });
  });
  for (const item of items) {
    item.panel.id = `panel-${item.id}`;
    item.panel.setAttribute('role', 'tabpanel');
    item.panel.setAttribute('aria-labelledby', `tab-${item.id}`);
    item.panel.tabIndex = -1;
  }
  select(0, false);
  return el('div', { role: 'tablist', class: 'tabs', 'aria-label': 'Views' }, ...buttons);
}
