import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenizerSource } from '@chunkflow/chunkers';
import { InvalidConfigError } from '@chunkflow/errors';

/** Where `hf:<name>` tokenizers come from (CHUNKFLOW_TOKENIZERS_DIR, TOKENIZER_MAX_MB). */
export interface TokenizerFolderSettings {
  dir: string | undefined;
  maxBytes: number;
}

const TOKENIZER_FILE = 'tokenizer.json';

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * The engine's tokenizer source over a folder laid out as Hugging Face ships models:
 * `<dir>/<name>/tokenizer.json` is `hf:<name>` (names are checked before they get here: no path
 * separators, no leading dot). A file is read once per thread (the engine keeps what it loaded)
 * and never past `maxBytes`. Reads are synchronous: a config is normalised synchronously, and each
 * file is read once. Undefined when no folder is configured.
 */
export function tokenizerFolder({ dir, maxBytes }: TokenizerFolderSettings): TokenizerSource | undefined {
  if (dir === undefined) return undefined;
  return {
    read(name) {
      const path = join(dir, name, TOKENIZER_FILE);
      let size: number;
      try {
        size = statSync(path).size;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      if (size > maxBytes) {
        throw new InvalidConfigError(
          `Tokenizer "hf:${name}" is larger (${size} bytes) than this server loads (${maxBytes})`,
          'tokenizer',
        );
      }
      return readFileSync(path, 'utf8');
    },
    names() {
      try {
        return readdirSync(dir, { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
          .map((entry) => entry.name)
          .filter((name) => {
            try {
              return statSync(join(dir, name, TOKENIZER_FILE)).isFile();
            } catch {
              return false;
            }
          })
          .sort();
      } catch (error) {
        if (isMissing(error)) return [];
        throw error;
      }
    },
  };
}
