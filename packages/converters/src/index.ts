export { convertDocument } from './convert.ts';
export { type DetectedType, detectType } from './detect.ts';
export { markdownHeadings } from './headings.ts';
export { DOCX_TYPE, HTML_TYPE, MARKDOWN_TYPE, PDF_TYPE, TEXT_TYPE } from './media-types.ts';
export { ProvenanceIndex, pagesOf } from './provenance.ts';
export * from './types.ts';
