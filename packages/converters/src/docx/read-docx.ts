import { InvalidDocumentError } from '@chunkflow/errors';
import type { DocxDocument, DocxElement } from '../docx-markdown.ts';
import type { ZipEntry } from '../zip-directory.ts';
import { type BodyContext, readBody } from './body.ts';
import { emptyNumbering, readNumbering } from './numbering.ts';
import {
  emptyRelationships,
  mainDocumentPath,
  readRelationships,
  relatedPartPath,
  relationshipsPath,
} from './part-paths.ts';
import { emptyStyles, readStyles } from './styles.ts';
import { findChild, parseXml, type XmlElement } from './xml-tree.ts';
import { ZipParts } from './zip-parts.ts';

/**
 * mammoth's document model of a Word document (mammoth 1.13, lib/docx/docx-reader.js): the main
 * document part found through the package's relationships, its styles, lists, footnotes and
 * endnotes. Parts are inflated by the runtime's zlib within their declared sizes and parsed by
 * a strict SAX parser within the nesting budget.
 */
export function readDocx(bytes: Uint8Array, entries: readonly ZipEntry[], maxDepth: number): DocxDocument {
  const parts = new ZipParts(bytes, entries);
  const exists = (path: string) => parts.has(path);
  const xml = (path: string): XmlElement | undefined => {
    const text = parts.text(path);
    return text === undefined ? undefined : parseXml(text, maxDepth);
  };
  const relationshipsOf = (path: string) => {
    const rels = xml(relationshipsPath(path));
    return rels ? readRelationships(rels) : emptyRelationships();
  };

  const packageRels = xml('_rels/.rels');
  const documentPath = mainDocumentPath(
    packageRels ? readRelationships(packageRels) : emptyRelationships(),
    exists,
  );
  if (!exists(documentPath)) {
    throw new InvalidDocumentError('corrupt', 'The archive is not a Word document (no main document part)');
  }
  const documentRelationships = relationshipsOf(documentPath);
  const related = (type: string) => relatedPartPath(documentPath, documentRelationships, type, exists);

  const stylesXml = xml(related('styles'));
  const styles = stylesXml ? readStyles(stylesXml) : emptyStyles();
  const numberingXml = xml(related('numbering'));
  const numbering = numberingXml ? readNumbering(numberingXml, styles) : emptyNumbering(styles);
  const contextOf = (path: string): BodyContext => ({
    styles,
    numbering,
    relationships: relationshipsOf(path).targets,
  });

  const notes = new Map<string, DocxElement>();
  for (const noteType of ['footnote', 'endnote'] as const) {
    const path = related(`${noteType}s`);
    const root = xml(path);
    if (!root) continue;
    const context = contextOf(path);
    for (const note of root.children) {
      if (typeof note === 'string' || note.name !== `w:${noteType}`) continue;
      // The separators Word draws above the notes are not notes.
      const kind = note.attributes['w:type'];
      if (kind === 'separator' || kind === 'continuationSeparator') continue;
      const noteId = note.attributes['w:id'];
      notes.set(`${noteType}-${noteId}`, {
        type: 'note',
        noteType,
        noteId,
        body: readBody(note.children, context),
      });
    }
  }

  const body = findChild(xml(documentPath) as XmlElement, 'w:body');
  if (!body) throw new InvalidDocumentError('corrupt', 'The Word document has no body');
  return {
    type: 'document',
    children: readBody(body.children, contextOf(documentPath)),
    notes: {
      resolve: (reference) => notes.get(`${reference.noteType}-${reference.noteId}`) ?? null,
    },
  };
}
