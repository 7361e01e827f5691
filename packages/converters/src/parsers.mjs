// The third-party parsers the converters use, as plain JavaScript. A conversion thread imports this
// before it registers the TypeScript loader: modules load once per thread, so the converters'
// sources then find these already loaded instead of having the loader transform them (pdf.js
// alone is megabytes of JavaScript; transformed, the thread grew by ~170 MB instead of ~45 MB).
import '@mozilla/readability';
import 'linkedom';
import 'mammoth';
import 'pdfjs-dist/legacy/build/pdf.mjs';
// pdf.js runs its parser through a "fake worker" on this thread, which it imports on first use:
// loaded here, it sets `globalThis.pdfjsWorker`, which pdf.js then uses as it is.
import 'pdfjs-dist/legacy/build/pdf.worker.mjs';
