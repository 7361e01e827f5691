// Which dependencies a workspace manifest lists that nothing in its package uses, and which packages its
// code imports without listing them. "Uses" means a module specifier in a tracked source or config file
// (import, export … from, import(), require(), `/// <reference types>`), a `types` entry of a tsconfig,
// a binary named in the package's scripts or shell files, or an `@types/x` whose `x` is used. The root
// manifest owns the workspace-wide tools: its binaries may run from any package's scripts, and the
// packages named in `workspaceTools` may be imported from anywhere without being listed again.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

export interface Manifest {
  name: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface DependencyReport {
  dir: string;
  unused: string[];
  undeclared: string[];
}

const sourceFile = /\.(?:[cm]?[jt]sx?|json|sh)$/;
const specifier =
  /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|\/\/\/\s*<reference\s+types=)['"]([^'"\s]+)['"]/g;
const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; relative paths and node builtins → undefined. */
export function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || nodeBuiltins.has(spec)) {
    return undefined;
  }
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return name !== undefined && /^(?:@[\w.-]+\/)?[\w.-]+$/.test(name) ? name : undefined;
}

/** The package names a file's text refers to as modules. */
export function importedPackages(text: string): Set<string> {
  const found = new Set<string>();
  for (const match of text.matchAll(specifier)) {
    const name = packageOf(match[1] ?? '');
    if (name !== undefined) found.add(name);
  }
  for (const match of text.matchAll(/"types"\s*:\s*\[([^\]]*)\]/g)) {
    for (const entry of (match[1] ?? '').matchAll(/"([^"]+)"/g)) {
      const name = packageOf(entry[1] ?? '');
      if (name !== undefined) found.add(name === 'node' ? '@types/node' : name);
    }
  }
  return found;
}

/** The binaries a dependency installs, read from its own manifest. */
function binariesOf(root: string, dir: string, name: string): string[] {
  try {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'node_modules', name, 'package.json'), 'utf8'));
    if (typeof manifest.bin === 'string') return [name.split('/').pop() ?? name];
    return Object.keys(manifest.bin ?? {});
  } catch {
    return [];
  }
}

function isUsed(dependency: string, used: Set<string>, commands: string, binaries: string[]): boolean {
  if (used.has(dependency)) return true;
  if (dependency.startsWith('@types/')) {
    const typed = dependency.slice('@types/'.length);
    const scoped = typed.includes('__') ? `@${typed.replace('__', '/')}` : typed;
    if (used.has(scoped)) return true;
  }
  return binaries.some((binary) => new RegExp(`(?:^|[\\s;&|(])${binary}(?:$|[\\s;&|)])`).test(commands));
}

/**
 * One report per workspace directory (`.` for the root). `toolOnly` holds `"<dir> <dependency>"` pairs
 * that are used without being imported or run by name (a peer another package loads, a package only
 * generated code imports); each needs its reason beside it where it is declared.
 */
export function dependencyReports(
  root: string,
  dirs: string[],
  toolOnly: Set<string>,
  workspaceTools: Set<string>,
): DependencyReport[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(
      (file) => sourceFile.test(file) && !file.endsWith('package.json') && !file.includes('/fixtures/'),
    );
  const manifests = new Map(
    dirs.map((dir) => [dir, JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Manifest]),
  );
  const workspaceNames = new Set([...manifests.values()].map((manifest) => manifest.name));
  const listed = (manifest: Manifest) =>
    Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  // A root tool counts as run by a package's script only when that package does not list it itself.
  const rootCommands = (dependency: string) =>
    [...manifests.values()]
      .filter((manifest) => manifest === manifests.get('.') || !listed(manifest).includes(dependency))
      .flatMap((manifest) => Object.values(manifest.scripts ?? {}));
  const shellScripts = files
    .filter((file) => file.endsWith('.sh'))
    .map((file) => readFileSync(join(root, file), 'utf8'));

  return dirs.map((dir) => {
    const manifest = manifests.get(dir) as Manifest;
    const own = files.filter((file) =>
      dir === '.'
        ? !dirs.some((other) => other !== '.' && file.startsWith(`${other}/`))
        : file.startsWith(`${dir}/`),
    );
    const texts = own.map((file) => readFileSync(join(root, file), 'utf8'));
    const used = new Set<string>();
    for (const text of texts) for (const name of importedPackages(text)) used.add(name);
    const ownShell = texts.filter((_, index) => own[index]?.endsWith('.sh'));
    const commands = (dependency: string) =>
      [
        ...(dir === '.' ? rootCommands(dependency) : Object.values(manifest.scripts ?? {})),
        ...(dir === '.' ? shellScripts : ownShell),
      ].join('\n');
    const declared = listed(manifest);
    const unused = declared.filter(
      (dependency) =>
        !toolOnly.has(`${dir} ${dependency}`) &&
        !isUsed(dependency, used, commands(dependency), binariesOf(root, dir, dependency)),
    );
    const undeclared =
      dir === '.'
        ? []
        : [...used].filter(
            (name) =>
              !declared.includes(name) &&
              !workspaceTools.has(name) &&
              name !== manifest.name &&
              !workspaceNames.has(name) &&
              !name.startsWith('@types/'),
          );
    return { dir, unused: unused.sort(), undeclared: undeclared.sort() };
  });
}
