import { childrenNamed, type XmlElement } from './xml-tree.ts';

const RELATIONSHIP_TYPES = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/';

export interface Relationships {
  /** Targets by relationship id. */
  targets: Record<string, string | undefined>;
  /** Targets by relationship type, in document order. */
  byType: Record<string, string[] | undefined>;
}

export function emptyRelationships(): Relationships {
  return { targets: Object.create(null), byType: Object.create(null) };
}

/** A `.rels` part's relationships (mammoth's relationships-reader.js). */
export function readRelationships(root: XmlElement): Relationships {
  const relationships = emptyRelationships();
  for (const { attributes } of childrenNamed(root, 'relationships:Relationship')) {
    const { Id: id, Target: target, Type: type } = attributes;
    relationships.targets[`${id}`] = target;
    const sameType = relationships.byType[`${type}`] ?? [];
    sameType.push(`${target}`);
    relationships.byType[`${type}`] = sameType;
  }
  return relationships;
}

/** The `.rels` part that holds a part's relationships: `word/document.xml` → `word/_rels/document.xml.rels`. */
export function relationshipsPath(path: string): string {
  const { dirname, basename } = splitPath(path);
  return joinPath(dirname, '_rels', `${basename}.rels`);
}

/** The main document part: the package's officeDocument relationship, else `word/document.xml`. */
export function mainDocumentPath(
  packageRelationships: Relationships,
  exists: (path: string) => boolean,
): string {
  return partPath(packageRelationships, 'officeDocument', '', 'word/document.xml', exists);
}

/** A part the main document relates to by type (`styles`, `numbering`, `footnotes`, `endnotes`), else `word/<type>.xml`. */
export function relatedPartPath(
  documentPath: string,
  documentRelationships: Relationships,
  type: string,
  exists: (path: string) => boolean,
): string {
  return partPath(documentRelationships, type, splitPath(documentPath).dirname, `word/${type}.xml`, exists);
}

/** The first target of that type that names a part of the archive (mammoth's docx-reader.js `findPartPath`). */
function partPath(
  relationships: Relationships,
  type: string,
  basePath: string,
  fallbackPath: string,
  exists: (path: string) => boolean,
): string {
  for (const target of relationships.byType[RELATIONSHIP_TYPES + type] ?? []) {
    const path = joinPath(basePath, target).replace(/^\//, '');
    if (exists(path)) return path;
  }
  return fallbackPath;
}

function splitPath(path: string): { dirname: string; basename: string } {
  const last = path.lastIndexOf('/');
  return last === -1
    ? { dirname: '', basename: path }
    : { dirname: path.substring(0, last), basename: path.substring(last + 1) };
}

/** Joins path segments; an absolute segment starts the path again. */
function joinPath(...paths: string[]): string {
  let relevant: string[] = [];
  for (const path of paths) {
    if (!path) continue;
    if (path.startsWith('/')) relevant = [path];
    else relevant.push(path);
  }
  return relevant.join('/');
}
