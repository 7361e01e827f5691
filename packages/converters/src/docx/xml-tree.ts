import { InvalidDocumentError } from '@chunkflow/errors';
import { SaxesParser, type SaxesTagNS } from 'saxes';

/** An element of a DOCX part, named as mammoth names it (`w:p`, `r:id`, `{uri}local`). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string | undefined>;
  /** Elements and text, in document order; comments, CDATA and processing instructions are dropped as mammoth drops them. */
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

/** mammoth's prefixes for the namespaces of WordprocessingML, transitional and strict (office-xml-reader.js). */
const PREFIXES: Record<string, string> = {
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main': 'w',
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships': 'r',
  'http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing': 'wp',
  'http://schemas.openxmlformats.org/drawingml/2006/main': 'a',
  'http://schemas.openxmlformats.org/drawingml/2006/picture': 'pic',
  'http://purl.oclc.org/ooxml/wordprocessingml/main': 'w',
  'http://purl.oclc.org/ooxml/officeDocument/relationships': 'r',
  'http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing': 'wp',
  'http://purl.oclc.org/ooxml/drawingml/main': 'a',
  'http://purl.oclc.org/ooxml/drawingml/picture': 'pic',
  'http://schemas.openxmlformats.org/package/2006/content-types': 'content-types',
  'http://schemas.openxmlformats.org/package/2006/relationships': 'relationships',
  'http://schemas.openxmlformats.org/markup-compatibility/2006': 'mc',
  'urn:schemas-microsoft-com:vml': 'v',
  'urn:schemas-microsoft-com:office:word': 'office-word',
  'http://schemas.microsoft.com/office/word/2010/wordml': 'wordml',
};
const XMLNS = 'http://www.w3.org/2000/xmlns/';
/** What a prefix no declaration binds resolves to: no namespace, as mammoth's xmldom reads it. */
const UNBOUND = 'urn:chunkflow:unbound-prefix';

/** Shared by every element without attributes or children: most of a part's elements have one or the other. */
const NO_ATTRIBUTES: Record<string, string | undefined> = Object.freeze({});
const NO_CHILDREN: XmlNode[] = Object.freeze([]) as unknown as XmlNode[];

export const EMPTY_ELEMENT: XmlElement = Object.freeze({
  name: '',
  attributes: NO_ATTRIBUTES,
  children: NO_CHILDREN,
});

/** Mapped names by namespace and local name: a part repeats a few dozen names thousands of times. */
const mappedNames = new Map<string, Map<string, string>>();

function mappedName(uri: string, local: string): string {
  let byLocal = mappedNames.get(uri);
  if (!byLocal) {
    byLocal = new Map();
    mappedNames.set(uri, byLocal);
  }
  let name = byLocal.get(local);
  if (name === undefined) {
    const prefix = PREFIXES[uri];
    name = !uri || uri === UNBOUND ? local : prefix ? `${prefix}:${local}` : `{${uri}}${local}`;
    byLocal.set(local, name);
  }
  return name;
}

/**
 * The element tree of an XML part, read by a strict namespace-aware SAX parser: malformed XML is
 * refused as corrupt, and nesting past `maxDepth` is refused while parsing, before the tree (or
 * any recursion over it) can grow past the budget. `mc:AlternateContent` is replaced by the
 * children of its `mc:Fallback`, as mammoth reads it.
 */
export function parseXml(xml: string, maxDepth: number): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: false, resolvePrefix: () => UNBOUND });
  const { text: parsed, restore } = withAllowedCharacters(xml);
  const root: XmlElement = { name: '', attributes: {}, children: [] };
  const open: XmlElement[] = [root];
  let current = root;
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (open.length > maxDepth) {
      throw new InvalidDocumentError('budget', `The document is nested deeper than ${maxDepth} elements`);
    }
    let attributes = NO_ATTRIBUTES;
    for (const key in tag.attributes) {
      const attribute = tag.attributes[key];
      if (!attribute || attribute.uri === XMLNS) continue;
      if (attributes === NO_ATTRIBUTES) attributes = {};
      attributes[mappedName(attribute.uri, attribute.local)] = restore(attribute.value);
    }
    const element: XmlElement = { name: mappedName(tag.uri, tag.local), attributes, children: NO_CHILDREN };
    if (current.children === NO_CHILDREN) current.children = [];
    current.children.push(element);
    open.push(element);
    current = element;
  });
  parser.on('closetag', () => {
    const closed = open.pop() as XmlElement;
    current = open[open.length - 1] as XmlElement;
    if (closed.name === 'mc:AlternateContent') {
      const siblings = current.children;
      siblings.pop();
      for (const child of firstChild(closed, 'mc:Fallback').children) siblings.push(child);
    }
  });
  parser.on('text', (text) => {
    // The prolog and the whitespace around the root element are not part of the tree.
    if (current === root) return;
    if (current.children === NO_CHILDREN) current.children = [];
    current.children.push(restore(text));
  });
  try {
    parser.write(parsed).close();
  } catch (error) {
    if (error instanceof InvalidDocumentError) throw error;
    throw new InvalidDocumentError('corrupt', 'The Word document holds malformed XML', { cause: error });
  }
  const element = root.children.find((child) => typeof child !== 'string');
  if (!element) throw new InvalidDocumentError('corrupt', 'The Word document holds an empty XML part');
  return element;
}

/** Characters XML 1.0 disallows, and character references that stand for any character. */
const DISALLOWED =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 disallows.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|&#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}));/g;
const STAND_INS = /[\u{F0000}-\u{FFFFF}]/gu;
const PLANE_15 = 0xf0000;

function isDisallowed(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd) ||
    (code >= 0xd800 && code <= 0xdfff) ||
    code === 0xfffe ||
    code === 0xffff
  );
}

/**
 * XML 1.0 disallows control characters, surrogates, U+FFFE and U+FFFF, literally or as character
 * references; saxes refuses them, mammoth's xmldom reads them as text, and some writers leave them
 * in documents Word would not write. Such a part is parsed with each one replaced by a stand-in of
 * Unicode's plane 15 (private use), which its text and attribute values then turn back into: the
 * part reads as mammoth reads it. A part without them (nearly all) pays one scan.
 */
function withAllowedCharacters(xml: string): { text: string; restore: (value: string) => string } {
  DISALLOWED.lastIndex = 0;
  if (!DISALLOWED.test(xml)) return { text: xml, restore: (value) => value };
  let replaced = false;
  const text = xml.replace(DISALLOWED, (match, hex?: string, decimal?: string) => {
    const code =
      hex !== undefined
        ? Number.parseInt(hex, 16)
        : decimal !== undefined
          ? Number(decimal)
          : match.charCodeAt(0);
    if (!isDisallowed(code)) return match;
    replaced = true;
    return String.fromCodePoint(PLANE_15 + code);
  });
  if (!replaced) return { text: xml, restore: (value) => value };
  const restore = (value: string) =>
    value.replace(STAND_INS, (char) => {
      const code = (char.codePointAt(0) as number) - PLANE_15;
      return isDisallowed(code) ? String.fromCharCode(code) : char;
    });
  return { text, restore };
}

/** The first child element of that name, or an empty element (mammoth's `firstOrEmpty`). */
export function firstChild(element: XmlElement, name: string): XmlElement {
  return findChild(element, name) ?? EMPTY_ELEMENT;
}

/** The first child element of that name (mammoth's `first`). */
export function findChild(element: XmlElement, name: string): XmlElement | undefined {
  for (const child of element.children) {
    if (typeof child !== 'string' && child.name === name) return child;
  }
  return undefined;
}

/** The child elements of that name (mammoth's `getElementsByTagName`, which looks at children only). */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter(
    (child): child is XmlElement => typeof child !== 'string' && child.name === name,
  );
}

/** An element's text: the text nodes among its children, joined. */
export function textOf(element: XmlElement): string {
  let text = '';
  for (const child of element.children) if (typeof child === 'string') text += child;
  return text;
}
