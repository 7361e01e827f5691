import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getTokenPosOfNode, type Node, type SourceFile, SyntaxKind } from 'typescript/unstable/ast';
import { API } from 'typescript/unstable/sync';

/** One regular expression the source tree builds, where it is written. */
export interface FoundRegex {
  /** Repository-relative path and 1-based line. */
  file: string;
  line: number;
  kind: 'literal' | 'constructor';
  /** The pattern, or undefined when a `RegExp(...)` call builds it from a non-literal value. */
  source: string | undefined;
  flags: string;
  /** The expression as written (for messages and the allow-list of dynamic patterns). */
  text: string;
}

const sourceExtensions = /\.[cm]?[jt]sx?$/;

/** Every TypeScript or JavaScript source file under `<root>/<group>/<package>/src`, declaration files excluded. */
export function sourceFiles(root: string, groups: readonly string[]): string[] {
  const files: string[] = [];
  for (const group of groups) {
    for (const name of readdirSync(join(root, group))) {
      const src = join(root, group, name, 'src');
      let entries: string[];
      try {
        entries = readdirSync(src, { recursive: true, encoding: 'utf8' });
      } catch {
        continue; // a package without src
      }
      for (const entry of entries) {
        if (sourceExtensions.test(entry) && !entry.endsWith('.d.ts')) files.push(join(src, entry));
      }
    }
  }
  return files.sort();
}

function lineOf(file: SourceFile, position: number): number {
  const text = file.text;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < position; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function isRegExpConstructor(node: Node): node is Node & { expression: Node; arguments?: readonly Node[] } {
  if (node.kind !== SyntaxKind.NewExpression && node.kind !== SyntaxKind.CallExpression) return false;
  const callee = (node as unknown as { expression: Node & { text?: string } }).expression;
  return callee.kind === SyntaxKind.Identifier && callee.text === 'RegExp';
}

function literalText(node: Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  const isLiteral =
    node.kind === SyntaxKind.StringLiteral || node.kind === SyntaxKind.NoSubstitutionTemplateLiteral;
  return isLiteral ? (node as unknown as { text: string }).text : undefined;
}

/**
 * Parses each file with the TypeScript compiler (the tsgo API) and returns its regular
 * expression literals and `RegExp(...)`/`new RegExp(...)` calls.
 */
export function findRegexes(root: string, files: readonly string[]): FoundRegex[] {
  const api = new API({ cwd: root });
  try {
    const snapshot = api.updateSnapshot({ openFiles: [...files] });
    const found: FoundRegex[] = [];
    for (const path of files) {
      const file = snapshot.getDefaultProjectForFile(path)?.program.getSourceFile(path);
      if (file === undefined) throw new Error(`The TypeScript API did not load ${path}`);
      const where = (node: Node) => {
        const start = getTokenPosOfNode(node, file);
        return {
          file: relative(root, path),
          line: lineOf(file, start),
          text: file.text.slice(start, node.end),
        };
      };
      const visit = (node: Node): void => {
        if (node.kind === SyntaxKind.RegularExpressionLiteral) {
          const literal = (node as unknown as { text: string }).text;
          const close = literal.lastIndexOf('/');
          found.push({
            ...where(node),
            kind: 'literal',
            source: literal.slice(1, close),
            flags: literal.slice(close + 1),
          });
        } else if (isRegExpConstructor(node)) {
          const [pattern, flags] = node.arguments ?? [];
          found.push({
            ...where(node),
            kind: 'constructor',
            source: literalText(pattern),
            flags: literalText(flags) ?? '',
          });
        }
        node.forEachChild(visit);
      };
      visit(file);
    }
    return found;
  } finally {
    api.close();
  }
}
