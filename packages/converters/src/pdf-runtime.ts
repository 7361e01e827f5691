/// <reference path="./pdfjs-worker.d.ts" />
/**
 * pdf.js's legacy build (the one that runs on Node 20) carries core-js polyfills, and on Node 20's
 * V8 some replace built-ins the engine has: `Array.prototype.push` (for a corner case of arrays
 * whose length cannot be written, which pdf.js never meets) and `JSON.parse`/`JSON.stringify`
 * (for proposals it does not use). Every push in the thread, pdf.js's own included, then runs as
 * JavaScript: about a tenth of a PDF's conversion. The engine's own are put back once pdf.js has
 * loaded; what it adds is kept. (The converters' parsers.mjs does the same where it loads pdf.js
 * first.) Node 24's engine passes core-js's checks: nothing is replaced there.
 */
const replaced: [object, string][] = [
  [Array.prototype, 'push'],
  [JSON, 'parse'],
  [JSON, 'stringify'],
];
const engine = replaced.map(
  ([owner, key]) => [owner, key, Object.getOwnPropertyDescriptor(owner, key)] as const,
);
const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
// Its parser, which pdf.js would import on first use: loaded now, so the polyfills it brings go too.
await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
for (const [owner, key, descriptor] of engine) if (descriptor) Object.defineProperty(owner, key, descriptor);

export const { getDocument, PDFWorker } = pdfjs;
