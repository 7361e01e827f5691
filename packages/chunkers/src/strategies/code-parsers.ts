import { createRequire } from 'node:module';
import type { Parser } from '@vscode/tree-sitter-wasm';
import { type CodeLanguage, codeLanguageNames, codeLanguages } from './code-languages.ts';

/**
 * Tree-sitter parsers, loaded once per process. Loading is asynchronous (WebAssembly), while
 * `chunk()` is synchronous, so parsers live in this cache: `initCodeParsers()` (or `chunkAsync`,
 * which calls it for the language it needs) fills it, and the synchronous `code` strategy uses
 * whatever is loaded, falling back to declaration separators for a language that is not.
 */
const parsers = new Map<CodeLanguage, Parser>();
const pending = new Map<CodeLanguage, Promise<void>>();
const requireFromHere = createRequire(import.meta.url);
let runtime: Promise<typeof import('@vscode/tree-sitter-wasm')> | undefined;

function loadRuntime(): Promise<typeof import('@vscode/tree-sitter-wasm')> {
  runtime ??= import('@vscode/tree-sitter-wasm').then(async ({ default: treeSitter }) => {
    await treeSitter.Parser.init();
    return treeSitter;
  });
  return runtime;
}

async function loadParser(language: CodeLanguage): Promise<void> {
  const treeSitter = await loadRuntime();
  // The grammars ship inside the npm package, so this never touches the network.
  const grammarPath = requireFromHere.resolve(
    `@vscode/tree-sitter-wasm/wasm/${codeLanguages[language].grammar}`,
  );
  const parser = new treeSitter.Parser();
  parser.setLanguage(await treeSitter.Language.load(grammarPath));
  parsers.set(language, parser);
}

/** Loads the parsers for `languages` (all supported ones by default); safe to call repeatedly. */
export async function initCodeParsers(languages: readonly CodeLanguage[] = codeLanguageNames): Promise<void> {
  await Promise.all(
    languages.map((language) => {
      if (parsers.has(language)) return undefined;
      let loading = pending.get(language);
      if (!loading) {
        loading = loadParser(language).finally(() => pending.delete(language));
        pending.set(language, loading);
      }
      return loading;
    }),
  );
}

/** The loaded parser for `language`, or undefined when `initCodeParsers` has not loaded it. */
export function loadedCodeParser(language: CodeLanguage): Parser | undefined {
  return parsers.get(language);
}
