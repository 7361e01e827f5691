import './styles.css';
import type { StrategyInfo } from './api.ts';
import { CollectionsPanel } from './collections-panel.ts';
import { ComparePanel } from './compare-panel.ts';
import { DocumentEditor } from './document-editor.ts';
import { el } from './dom.ts';
import { ErrorBanner } from './error-banner.ts';
import { keyForm } from './key-form.ts';
import { PreviewPanel } from './preview-panel.ts';
import { Session } from './session.ts';
import { StrategyPicker } from './strategy-picker.ts';
import { tabs } from './tabs.ts';

async function start(root: HTMLElement): Promise<void> {
  const session = new Session();
  const startup = new ErrorBanner();
  root.replaceChildren(header(session), startup.element);
  let strategies: StrategyInfo[];
  try {
    ({ strategies } = await session.client.chunking.strategies.query({}));
  } catch (error) {
    startup.show(error);
    return;
  }

  // Inputs call back only on user action, after the preview below exists.
  const source = new DocumentEditor(() => preview.schedule());
  const picker = new StrategyPicker(strategies, () => preview.schedule());
  const preview = new PreviewPanel(session, source, picker);
  const compare = new ComparePanel(session, source, picker);
  const collections = new CollectionsPanel(session, source, picker);
  const tabList = tabs(
    [
      { id: 'preview', label: 'Preview', panel: preview.element },
      { id: 'compare', label: 'Compare', panel: compare.element },
      { id: 'collections', label: 'Collections', panel: collections.element },
    ],
    (id) => {
      if (id === 'collections') void collections.show();
    },
  );
  const controls = el(
    'aside',
    { class: 'controls', 'aria-label': 'Document and strategy' },
    source.element,
    picker.element,
  );
  const views = el(
    'main',
    { class: 'views' },
    tabList,
    preview.element,
    compare.element,
    collections.element,
  );
  root.append(el('div', { class: 'layout' }, controls, views));
  session.onChange(() => void preview.refresh());
  await preview.refresh();
}

function header(session: Session): HTMLElement {
  return el('header', { class: 'page-header' }, el('h1', {}, 'Chunkflow playground'), keyForm(session));
}

const root = document.getElementById('app');
if (root) void start(root);
