// The third-party parsers the converters use, as plain JavaScript. A conversion thread imports this
// before it registers the TypeScript loader: modules load once per thread, so the converters'
// sources then find these already loaded instead of having the loader transform them (pdf.js
// alone is megabytes of JavaScript; transformed, the thread grew by ~170 MB instead of ~45 MB).
import '@mozilla/readability';
import 'linkedom';
import 'dingbat-to-unicode';
import 'saxes';

// pdf.js's legacy build replaces some of Node 20's built-ins with slower polyfills; loaded first
// here, it is loaded as pdf-runtime.ts loads it, the engine's own put back (see there).
const engine = [
  [Array.prototype, 'push'],
  [JSON, 'parse'],
  [JSON, 'stringify'],
].map(([owner, key]) => [owner, key, Object.getOwnPropertyDescriptor(owner, key)]);
await import('pdfjs-dist/legacy/build/pdf.mjs');
// pdf.js runs its parser through a "fake worker" on this thread, which it imports on first use:
// loaded here, it sets `globalThis.pdfjsWorker`, which pdf.js then uses as it is.
await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
for (const [owner, key, descriptor] of engine) Object.defineProperty(owner, key, descriptor);
