import type { CodeLanguage } from '../strategies/code-languages.ts';
import { nonBlankLineHeads } from './line-heads.ts';

interface Signature {
  pattern: RegExp;
  weight: number;
}

const sig = (pattern: RegExp, weight = 1): Signature => ({ pattern, weight });

/** Telltale constructs per language; each counts once per line that shows it. */
const signatures: Readonly<Record<Exclude<CodeLanguage, 'tsx'>, readonly Signature[]>> = {
  python: [
    sig(/^\s*(?:async\s+)?def\s+\w+\s*\([^#]*:\s*(?:#.*)?$/, 3),
    sig(/^\s*class\s+\w+\s*(?:\([^)]*\)\s*)?:\s*$/, 3),
    sig(/^\s*from\s+[\w.]+\s+import\s+/, 3),
    sig(/^\s*import\s+[\w.]+(?:\s+as\s+\w+)?\s*$/, 2),
    sig(/^\s*(?:elif\b.*|else|try|finally|except\b.*):\s*$/, 2),
    sig(/\bself\.\w+/),
    sig(/^\s*@\w+(?:\.\w+)*(?:\(.*\))?\s*$/),
    sig(/\b(?:None|True|False)\b/),
  ],
  go: [
    sig(/^package\s+\w+\s*$/, 4),
    sig(/^func\s+(?:\([^)]*\)\s*)?\w+\s*\(/, 3),
    sig(/^import\s+(?:\(|"[\w./-]+")/, 2),
    sig(/\b\w+\s*:=\s*/, 2),
    sig(/\bif\s+err\s*!=\s*nil\b/, 3),
    sig(/\bfmt\.\w+\(/, 2),
    sig(/^type\s+\w+\s+(?:struct|interface)\s*\{/, 3),
  ],
  rust: [
    sig(/^\s*(?:pub(?:\([\w:]+\))?\s+)?(?:async\s+)?fn\s+\w+\s*(?:<[^>]*>\s*)?\(/, 3),
    sig(/\blet\s+mut\s+\w+/, 3),
    sig(/^\s*use\s+[\w:]+::/, 3),
    sig(/^\s*impl(?:<[^>]*>)?\s+[\w:<>,][\w:<>, \t]*\{/, 3),
    sig(/^\s*#\[\w+/, 2),
    sig(/\b\w+!\(/, 1),
    sig(/&mut\s+\w+|&self\b/, 2),
    sig(/^\s*(?:pub\s+)?(?:struct|enum|trait|mod)\s+\w+/, 2),
  ],
  java: [
    sig(
      /^\s*(?:(?:public|private|protected)\s*)?(?:(?:abstract|final)\s+)*(?:class|interface|enum|record)\s+\w+/,
      2,
    ),
    sig(/^\s*package\s+[\w.]+;\s*$/, 4),
    sig(/^\s*import\s+(?:static\s+)?java[x]?\.[\w.*]+;\s*$/, 4),
    sig(/^\s*import\s+[\w.]+\.[A-Z*]\w*;\s*$/, 2),
    sig(/\bSystem\.(?:out|err)\.print/, 3),
    sig(/^\s*@(?:Override|Test|Autowired|Deprecated)\b/, 3),
    sig(
      /^\s*(?:public|private|protected)\s+(?:static\s+)?(?:final\s+)?[\w<>[\],]+(?:\s+[\w<>[\],]+)+\s*\(.*\)\s*(?:throws\s+[\w.,]+(?:\s+[\w.,]+)*\s*)?(?:\{\s*)?$/,
      3,
    ),
  ],
  javascript: [
    sig(/^\s*(?:export\s+(?:default\s+)?)?(?:async\s+)?function\s*(?:\*\s*)?(?:\w+\s*)?\(/, 2),
    sig(/^\s*(?:export\s+)?(?:const|let|var)\s+[\w${}[\],][\w${}[\], \t]*=/, 2),
    sig(/=>\s*[{(]?/, 1),
    sig(/\brequire\(\s*['"][\w@./-]+['"]\s*\)/, 3),
    sig(/^\s*import\s+\S.*\sfrom\s+['"][^'"]+['"];?\s*$/, 3),
    sig(/\bmodule\.exports\b|\bexport\s+default\b/, 3),
    sig(/\bconsole\.\w+\(/, 2),
    sig(/===|!==/, 1),
  ],
  typescript: [
    sig(/^\s*(?:export\s+)?(?:interface|type)\s+\w+(?:<[^>]*>)?\s*(?:=|\{|extends)/, 4),
    sig(/\b\w+\??\s*:\s*(?:string|number|boolean|unknown|void|never|any)\b/, 3),
    sig(/^\s*import\s+type\s+/, 4),
    sig(/\bas\s+const\b|\breadonly\s+\w+/, 2),
    sig(/\)\s*:\s*(?:Promise<|[A-Z]\w*(?:<[^>)]*>)?\s*\{|void\b)/, 3),
    sig(/^\s*(?:public|private|protected)\s+(?:readonly\s+)?\w+\s*[:(]/, 2),
  ],
};

export interface LanguageGuess {
  language: CodeLanguage;
  /** Weighted signature hits per non-blank line sampled. */
  density: number;
  score: number;
}

/**
 * Scores each language by weighted signature hits over the lines of `text`. TypeScript is
 * JavaScript plus types, so it wins only when type syntax is present; TSX when JSX also shows.
 */
export function guessCodeLanguage(text: string): LanguageGuess | undefined {
  const lines = nonBlankLineHeads(text);
  if (lines.length === 0) return undefined;
  const scores = new Map<Exclude<CodeLanguage, 'tsx'>, number>();
  for (const [language, list] of Object.entries(signatures) as [
    Exclude<CodeLanguage, 'tsx'>,
    Signature[],
  ][]) {
    let score = 0;
    for (const line of lines) for (const { pattern, weight } of list) if (pattern.test(line)) score += weight;
    scores.set(language, score);
  }
  const typeScore = scores.get('typescript') ?? 0;
  scores.set('typescript', typeScore > 0 ? typeScore + (scores.get('javascript') ?? 0) : 0);
  let best: [Exclude<CodeLanguage, 'tsx'>, number] | undefined;
  for (const entry of scores) if (!best || entry[1] > best[1]) best = entry;
  if (!best || best[1] === 0) return undefined;
  const language =
    best[0] === 'typescript' && /<\/[A-Z]?\w*>|\/>\s*(?:\)\s*)?;?$/m.test(text) ? 'tsx' : best[0];
  return { language, score: best[1], density: best[1] / lines.length };
}
