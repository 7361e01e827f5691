// Runs after tsc: makes the client's declarations self-contained, so the packed package keeps its
// types outside this repository. tsc writes the router's types out in full, but leaves a few named
// types of other workspace packages as imports of `@chunkflow/…`, which no installation can resolve:
// - the server's request context and procedure metadata (`RequestContext`, `ApiMeta`): tRPC's client
//   reads neither (only inputs, outputs, the error shape and the transformer), so they become
//   opaque object types instead of the server's whole service graph;
// - any other named type (an export line, a progress event): the declaration file that declares it
//   is copied under dist/internal/<package>/ with the files it imports, and the import points there.
//   A copied file may import only the client's own dependencies; anything else fails the build.
// Plain JS: it runs with Node before anything is built.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const packageDir = resolve(import.meta.dirname, '..');
const dist = join(packageDir, 'dist');
const internal = join(dist, 'internal');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const allowed = new Set(Object.keys(manifest.dependencies ?? {}));

/** Types of the server that no client type reads, and what the client's declarations say instead. */
const SERVER_ONLY = { RequestContext: 'ServerContext', ApiMeta: 'ProcedureMeta' };
const SERVER_ONLY_FILE = join(internal, 'server.d.ts');
const SERVER_ONLY_SOURCE = `/** The server's request context: what its procedures see, never part of a call. */
export type ServerContext = object;
/** A procedure's server-side metadata (REST mapping, rate-limit class), never part of a call. */
export type ProcedureMeta = object;
`;

// tsc names some of tRPC's public types by their internal module, which does not export them all
// (`TRPCBuiltRouter`): the `TRPC…` names are all exported by @trpc/server itself.
const TRPC_INTERNAL_REFERENCE = /import\("@trpc\/server\/unstable-core-do-not-import"\)\.(TRPC\w+)/g;
const WORKSPACE_REFERENCE = /import\("@chunkflow\/([\w-]+)"\)\.(\w+)/g;
const WORKSPACE_IMPORT = /^import type \{ ([^}]+) \} from '@chunkflow\/([\w-]+)';$/gm;
const SPECIFIER = /(from\s+|import\()(['"])([^'"]+)\2/g;

const declarations = (dir) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.d.ts'))
    .map((file) => join(dir, file));

/** `./x.js`-style specifier from one file to another. */
function specifier(from, to) {
  const path = relative(dirname(from), to).replace(/\.d\.ts$/, '.js');
  return path.startsWith('.') ? path : `./${path}`;
}

/** The .d.ts of `pkg`'s dist that declares and exports `name`. */
function declaringFile(pkg, name) {
  const declares = new RegExp(
    `^export (?:declare )?(?:type|interface|const|class|function|enum) ${name}\\b`,
    'm',
  );
  const found = declarations(resolve(packageDir, '..', pkg, 'dist')).find((file) =>
    declares.test(readFileSync(file, 'utf8')),
  );
  if (!found) throw new Error(`bundle-types: @chunkflow/${pkg} declares no exported ${name}`);
  return found;
}

const copied = new Map();
/** Copies a declaration file and those it imports into dist/internal; returns the copy's path. */
function copyDeclaration(pkg, file) {
  const target = join(internal, pkg, relative(resolve(packageDir, '..', pkg, 'dist'), file));
  if (copied.has(file)) return target;
  copied.set(file, target);
  const text = readFileSync(file, 'utf8')
    .replace(/^\/\/# sourceMappingURL=.*$/m, '')
    .replace(SPECIFIER, (whole, lead, quote, spec) => {
      if (spec.startsWith('.')) {
        const imported = resolve(dirname(file), spec.replace(/\.(ts|js)$/, '.d.ts'));
        copyDeclaration(pkg, imported);
        return `${lead}${quote}${spec.replace(/\.ts$/, '.js')}${quote}`;
      }
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!allowed.has(name))
        throw new Error(`bundle-types: ${relative(packageDir, file)} imports ${spec}, not a dependency`);
      return whole;
    });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  return target;
}

/** The client's own file, its workspace references pointing into dist/internal. */
function rewrite(file) {
  const reference = (pkg, name) => {
    if (pkg === 'api' && name in SERVER_ONLY)
      return `import("${specifier(file, SERVER_ONLY_FILE)}").${SERVER_ONLY[name]}`;
    return `import("${specifier(file, copyDeclaration(pkg, declaringFile(pkg, name)))}").${name}`;
  };
  let text = readFileSync(file, 'utf8')
    .replace(TRPC_INTERNAL_REFERENCE, (_whole, name) => `import("@trpc/server").${name}`)
    .replace(WORKSPACE_REFERENCE, (_whole, pkg, name) => reference(pkg, name))
    .replace(WORKSPACE_IMPORT, (_whole, names, pkg) =>
      names
        .split(',')
        .map((name) => name.trim())
        .map((name) => {
          const target = copyDeclaration(pkg, declaringFile(pkg, name));
          return `import type { ${name} } from '${specifier(file, target)}';`;
        })
        .join('\n'),
    )
    .replace(SPECIFIER, (whole, lead, quote, spec) =>
      spec.startsWith('.') ? `${lead}${quote}${spec.replace(/\.ts$/, '.js')}${quote}` : whole,
    );
  if (text.includes('@chunkflow/'))
    throw new Error(`bundle-types: ${relative(packageDir, file)} still names a workspace package`);
  text = text.replace(/^\/\/# sourceMappingURL=.*$/m, '');
  writeFileSync(file, text);
}

const own = declarations(dist).filter((file) => !file.startsWith(internal));
mkdirSync(internal, { recursive: true });
writeFileSync(SERVER_ONLY_FILE, SERVER_ONLY_SOURCE);
for (const file of own) rewrite(file);
for (const file of [...copied.values(), SERVER_ONLY_FILE]) {
  if (readFileSync(file, 'utf8').includes('@chunkflow/'))
    throw new Error(`bundle-types: ${relative(packageDir, file)} still names a workspace package`);
}
console.log(`bundle-types: ${own.length} declaration files, ${copied.size} copied from the workspace`);
