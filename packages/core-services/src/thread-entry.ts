/**
 * The file a pool of worker threads starts from, beside the module that starts it (`caller`, its
 * `import.meta.url`): compiled, `<name>.js`; run from source (the caller is .ts, under tsx or
 * vitest), `<name>-source.mjs`, a bootstrap that registers the TypeScript loader first, because
 * worker threads start without it.
 */
export function threadEntry(name: string, caller: string): URL {
  return new URL(caller.endsWith('.ts') ? `./${name}-source.mjs` : `./${name}.js`, caller);
}
