/** Languages the `code` strategy splits on syntax boundaries. */
export const codeLanguageNames = ['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java'] as const;
export type CodeLanguage = (typeof codeLanguageNames)[number];

interface CodeLanguageInfo {
  /** Grammar file inside @vscode/tree-sitter-wasm/wasm. */
  grammar: string;
  extensions: readonly string[];
  /** Accepted spellings in config, besides the canonical name. */
  aliases: readonly string[];
  /**
   * Fallback when no parser is loaded: line starts of top-level declarations, most structural
   * first, handed to the recursive splitter before blank lines, lines, words and characters.
   */
  declarationSeparators: readonly string[];
}

const jsLike = [
  '\nexport ',
  '\nfunction ',
  '\nasync function ',
  '\nclass ',
  '\nconst ',
  '\nlet ',
  '\nvar ',
  '\ninterface ',
  '\ntype ',
  '\nenum ',
];
const tsLike = [...jsLike, '\nnamespace ', '\ndeclare '];

export const codeLanguages: Readonly<Record<CodeLanguage, CodeLanguageInfo>> = {
  typescript: {
    grammar: 'tree-sitter-typescript.wasm',
    extensions: ['ts', 'mts', 'cts'],
    aliases: ['ts'],
    declarationSeparators: tsLike,
  },
  tsx: { grammar: 'tree-sitter-tsx.wasm', extensions: ['tsx'], aliases: [], declarationSeparators: tsLike },
  javascript: {
    grammar: 'tree-sitter-javascript.wasm',
    extensions: ['js', 'mjs', 'cjs', 'jsx'],
    aliases: ['js', 'jsx', 'node'],
    declarationSeparators: jsLike,
  },
  python: {
    grammar: 'tree-sitter-python.wasm',
    extensions: ['py', 'pyi', 'pyw'],
    aliases: ['py', 'python3'],
    declarationSeparators: ['\nclass ', '\ndef ', '\nasync def ', '\n@', '\n    def ', '\n    async def '],
  },
  go: {
    grammar: 'tree-sitter-go.wasm',
    extensions: ['go'],
    aliases: ['golang'],
    declarationSeparators: ['\nfunc ', '\ntype ', '\nvar ', '\nconst '],
  },
  rust: {
    grammar: 'tree-sitter-rust.wasm',
    extensions: ['rs'],
    aliases: ['rs'],
    declarationSeparators: [
      '\npub fn ',
      '\nfn ',
      '\nimpl',
      '\npub struct ',
      '\nstruct ',
      '\npub enum ',
      '\nenum ',
      '\ntrait ',
      '\nmod ',
      '\n#[',
      '\n    pub fn ',
      '\n    fn ',
    ],
  },
  java: {
    grammar: 'tree-sitter-java.wasm',
    extensions: ['java'],
    aliases: [],
    declarationSeparators: [
      '\npublic class ',
      '\nclass ',
      '\ninterface ',
      '\nenum ',
      '\n    public ',
      '\n    protected ',
      '\n    private ',
      '\n    static ',
      '\n    @',
    ],
  },
};

const byAlias = new Map<string, CodeLanguage>(
  codeLanguageNames.flatMap((name) => [
    [name, name] as const,
    ...codeLanguages[name].aliases.map((alias) => [alias, name] as const),
  ]),
);
const byExtension = new Map<string, CodeLanguage>(
  codeLanguageNames.flatMap((name) => codeLanguages[name].extensions.map((ext) => [ext, name] as const)),
);

/** Canonical language for a config value such as "TS" or "golang"; undefined when unsupported. */
export function resolveCodeLanguage(name: string): CodeLanguage | undefined {
  return byAlias.get(name.trim().toLowerCase());
}

/** Language for a file extension without the dot ("py"); undefined when unsupported. */
export function codeLanguageForExtension(extension: string): CodeLanguage | undefined {
  return byExtension.get(extension.toLowerCase());
}
