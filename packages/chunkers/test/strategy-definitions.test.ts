import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  listStrategies,
  type StrategyNameInput,
  strategyAliases,
  strategyDefinitions,
  strategyNames,
  strategyOptionsSchema,
} from '../src/index.ts';
import { commonOptions } from '../src/options.ts';

const commonKeys = Object.keys(commonOptions);
const ownKeysOf = (definition: (typeof strategyDefinitions)[number]) => Object.keys(definition.options);

describe('strategy definitions', () => {
  it('give every strategy a name and aliases no other strategy uses', () => {
    const names = strategyDefinitions.flatMap(({ name, aliases }) => [name, ...aliases]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('type every name and alias as a literal, so typed callers take exactly the names the engine accepts', () => {
    // `satisfies` holds this list to StrategyNameInput at compile time: no name missing, none extra.
    const typed = {
      fixed: true,
      fixed_size: true,
      character: true,
      sliding_window: true,
      recursive: true,
      markdown: true,
      document_structure: true,
      sentence: true,
      code: true,
      semantic: true,
      hierarchical: true,
      hybrid: true,
    } satisfies Record<StrategyNameInput, true>;
    expect(Object.keys(typed).sort()).toEqual([...strategyNames, ...Object.keys(strategyAliases)].sort());
  });

  it('give a key that several strategies accept one schema', () => {
    const schemas = new Map<string, unknown>();
    for (const { options } of strategyDefinitions) {
      for (const [key, schema] of Object.entries(options)) {
        expect(commonKeys).not.toContain(key);
        if (!schemas.has(key)) schemas.set(key, schema);
        expect(schema, key).toBe(schemas.get(key));
      }
    }
  });

  it('normalise to the common keys and their own, which their parameter schema accepts', () => {
    for (const { name, defaultConfig } of listStrategies()) {
      const definition = strategyDefinitions.find((candidate) => candidate.name === name);
      const { strategy, ...parameters } = defaultConfig;
      expect(strategy).toBe(name);
      for (const key of Object.keys(parameters)) {
        expect([...commonKeys, ...ownKeysOf(definition as (typeof strategyDefinitions)[number])]).toContain(
          key,
        );
      }
      expect(strategyOptionsSchema(name).safeParse(parameters).success).toBe(true);
    }
  });
});

/** The README's strategy table: names, aliases and specific keys, as written. */
function readmeStrategyTable() {
  const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Chunking strategies'),
    readme.indexOf('\n## ', readme.indexOf('## Chunking strategies') + 1),
  );
  const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').map((cell) => cell.trim()));
  const listed: string[] = [];
  const table = rows.map(([, strategyCell = '', , keysCell = '']) => {
    const [name, ...aliases] = codeSpans(strategyCell);
    // "any of the above but `x`" names a strategy accepting the keys of the rows before it, less x.
    const keys = keysCell.startsWith('any of the above but')
      ? listed.filter((key) => !codeSpans(keysCell).includes(key))
      : codeSpans(keysCell);
    for (const key of keys) if (!listed.includes(key)) listed.push(key);
    return { name, aliases, keys: [...keys].sort() };
  });
  return { table, section };
}

describe('the README', () => {
  it('lists every strategy, in order, with its aliases and specific keys', () => {
    const { table } = readmeStrategyTable();
    expect(table).toEqual(
      strategyDefinitions.map((definition) => ({
        name: definition.name,
        aliases: [...definition.aliases],
        keys: ownKeysOf(definition).sort(),
      })),
    );
  });

  it('names the keys every strategy accepts', () => {
    const { section } = readmeStrategyTable();
    const paragraph = section.slice(section.indexOf('Common keys:'));
    for (const key of commonKeys) expect(paragraph).toContain(`\`${key}\``);
  });
});
