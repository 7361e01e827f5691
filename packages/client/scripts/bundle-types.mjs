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
const WORKSPACE_SPECIFIER = /(from\s+|import\()['"]@chunkflow\//;

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

/** Top-level statements of a declaration file, each with the comment lines before it. */
function statements(text) {
  const result = [];
  let comment = [];
  let current;
  for (const line of text.split('\n')) {
    if (/^\/\/# sourceMappingURL=/.test(line)) continue;
    if (/^(\/\*\*|\/\*|\/\/| \*)/.test(line) && current?.open !== true) {
      comment.push(line);
      continue;
    }
    if (/^(import|export|declare|type|interface) /.test(line) || line === 'export {};') {
      current = {
        lines: [...comment, line],
        open: !/;\s*$/.test(line) || /^(export )?(declare )?(interface|class|enum) /.test(line),
      };
      comment = [];
      result.push(current);
    } else if (current) {
      current.lines.push(line);
      if (/^[}\]]/.test(line) && /;\s*$/.test(line)) current.open = false;
      else if (line === '}') current.open = false;
    }
  }
  return result.map(({ lines }) => {
    const text = lines.join('\n');
    const code = lines.filter((line) => !/^(\/\*\*|\/\*|\/\/| \*)/.test(line)).join('\n');
    const declared =
      /^(?:export )?(?:declare )?(?:type|interface|const|class|function|enum|let|var) (\w+)/m.exec(code)?.[1];
    const imported = /^import (?:type )?\{([^}]*)\} from '([^']+)';$/m.exec(code);
    return { text, code, declared, imported };
  });
}

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
const wanted = new Map();
const queue = [];
/** Marks names of a workspace declaration file as needed: that file is copied with just those. */
function need(pkg, file, names) {
  const known = wanted.get(file) ?? { pkg, names: new Set() };
  wanted.set(file, known);
  const fresh = names.filter((name) => !known.names.has(name));
  for (const name of fresh) known.names.add(name);
  if (fresh.length > 0) queue.push(file);
  return join(internal, pkg, relative(resolve(packageDir, '..', pkg, 'dist'), file));
}

/** The statements of `file` that its needed names reach, and the imports those use, recursively. */
function closure(file) {
  const { pkg, names } = wanted.get(file);
  const all = statements(readFileSync(file, 'utf8'));
  const keep = new Set();
  const reached = new Set(names);
  for (let grew = true; grew; ) {
    grew = false;
    for (const statement of all) {
      if (keep.has(statement) || !statement.declared || !reached.has(statement.declared)) continue;
      keep.add(statement);
      grew = true;
      for (const [token] of statement.code.matchAll(IDENTIFIER)) reached.add(token);
    }
  }
  const kept = all.filter((statement) => keep.has(statement));
  // Types named inline, `import("./x.ts").Name`: needed too, and pointed at their copies.
  const inline = (text) =>
    text.replace(/import\("([^"]+)"\)\.(\w+)/g, (whole, spec, name) => {
      if (!spec.startsWith('.')) {
        const external = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!allowed.has(external))
          throw new Error(`bundle-types: ${relative(packageDir, file)} needs ${spec}, not a dependency`);
        return whole;
      }
      need(pkg, resolve(dirname(file), spec.replace(/\.(ts|js)$/, '.d.ts')), [name]);
      return `import("${spec.replace(/\.ts$/, '.js')}").${name}`;
    });
  const imports = [];
  for (const statement of all.filter((candidate) => candidate.imported)) {
    const [, list, spec] = statement.imported;
    const used = list
      .split(',')
      .map((entry) => /^\s*(?:type\s+)?(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(entry))
      .filter((match) => match && reached.has(match[2] ?? match[1]));
    if (used.length === 0) continue;
    let target = spec;
    if (spec.startsWith('.')) {
      const imported = resolve(dirname(file), spec.replace(/\.(ts|js)$/, '.d.ts'));
      need(
        pkg,
        imported,
        used.map((match) => match[1]),
      );
      target = spec.replace(/\.ts$/, '.js');
    } else {
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!allowed.has(name))
        throw new Error(`bundle-types: ${relative(packageDir, file)} needs ${spec}, not a dependency`);
    }
    const specifiers = used.map((match) => (match[2] ? `${match[1]} as ${match[2]}` : match[1]));
    imports.push(`import type { ${specifiers.join(', ')} } from '${target}';`);
  }
  return [...imports, ...kept.map(({ text }) => inline(text)), 'export {};', ''].join('\n');
}

/** Copies what was needed of each workspace declaration file under dist/internal. */
function writeNeeded() {
  const texts = new Map();
  while (queue.length > 0) {
    const file = queue.shift();
    texts.set(file, closure(file));
  }
  for (const [file, text] of texts) {
    const target = join(
      internal,
      wanted.get(file).pkg,
      relative(resolve(packageDir, '..', wanted.get(file).pkg, 'dist'), file),
    );
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return [...texts.keys()].map((file) =>
    join(
      internal,
      wanted.get(file).pkg,
      relative(resolve(packageDir, '..', wanted.get(file).pkg, 'dist'), file),
    ),
  );
}

/** The client's own file, its workspace references pointing into dist/internal. */
function rewrite(file) {
  const reference = (pkg, name) => {
    if (pkg === 'api' && name in SERVER_ONLY)
      return `import("${specifier(file, SERVER_ONLY_FILE)}").${SERVER_ONLY[name]}`;
    return `import("${specifier(file, need(pkg, declaringFile(pkg, name), [name]))}").${name}`;
  };
  let text = readFileSync(file, 'utf8')
    .replace(TRPC_INTERNAL_REFERENCE, (_whole, name) => `import("@trpc/server").${name}`)
    .replace(WORKSPACE_REFERENCE, (_whole, pkg, name) => reference(pkg, name))
    .replace(WORKSPACE_IMPORT, (_whole, names, pkg) =>
      names
        .split(',')
        .map((name) => name.trim())
        .map((name) => {
          const target = need(pkg, declaringFile(pkg, name), [name]);
          return `import type { ${name} } from '${specifier(file, target)}';`;
        })
        .join('\n'),
    )
    .replace(SPECIFIER, (whole, lead, quote, spec) =>
      spec.startsWith('.') ? `${lead}${quote}${spec.replace(/\.ts$/, '.js')}${quote}` : whole,
    );
  if (WORKSPACE_SPECIFIER.test(text))
    throw new Error(`bundle-types: ${relative(packageDir, file)} still imports a workspace package`);
  text = text.replace(/^\/\/# sourceMappingURL=.*$/m, '');
  writeFileSync(file, text);
}

const own = declarations(dist).filter((file) => !file.startsWith(internal));
mkdirSync(internal, { recursive: true });
writeFileSync(SERVER_ONLY_FILE, SERVER_ONLY_SOURCE);
for (const file of own) rewrite(file);
const copied = writeNeeded();
for (const file of copied) {
  if (WORKSPACE_SPECIFIER.test(readFileSync(file, 'utf8')))
    throw new Error(`bundle-types: ${relative(packageDir, file)} still imports a workspace package`);
}
console.log(`bundle-types: ${own.length} declaration files, ${copied.length} copied from the workspace`);
