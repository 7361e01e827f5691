// pdf.js's parser module ships without types: pdf-runtime.ts only loads it.
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs';
