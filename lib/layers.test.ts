import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseCircular, parseDependencyTree, type DependencyTree } from 'dpdm';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * How the code is layered, checked on the import graph (dpdm reads every import, type-only ones
 * included, and resolves `@/` through tsconfig.json). docs/tests-and-layout.md, "Layers", says the order in words.
 */

const root = path.resolve(import.meta.dirname, '..');
const SOURCES = [
  'lib/**/*.ts',
  'app/**/*.ts',
  'app/**/*.tsx',
  'components/**/*.tsx',
  'cli/**/*.ts',
  'scripts/**/*.ts',
  'tests/**/*.ts',
  'e2e/**/*.ts',
  'bench/**/*.ts',
  'seeds/**/*.ts',
  'instrumentation.ts',
];

/** Folders of lib/, lowest first: a folder imports only from folders before it (and itself). */
const LIB_LAYERS = ['lib', 'engine', 'schema', 'embedded', 'config', 'queue', 'control', 'policy', 'runtime', 'auth', 'server'];

let tree: DependencyTree;
beforeAll(async () => {
  tree = await parseDependencyTree(SOURCES, { context: root, tsconfig: path.join(root, 'tsconfig.json'), transform: false, skipDynamicImports: false });
}, 120_000);

const isOwn = (file: string) => !file.includes('node_modules') && !file.startsWith('node:');
/** `lib/auth/guard.ts` → `auth`; files directly under lib/ (roles, format) → `lib`. */
const libFolderOf = (file: string): string => file.split('/').slice(1, -1)[0] ?? 'lib';
const isTest = (file: string) => /\.test\.tsx?$/.test(file);

/** Every import from one of our files to another, as `from -> to`. */
function edges(): [string, string][] {
  return Object.entries(tree).flatMap(([from, deps]) => (deps ?? []).filter((d) => d.id !== null && isOwn(d.id)).map((d): [string, string] => [from, d.id!]));
}

/** The cycles of a small directed graph (each reported once, from its smallest node). */
function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const walk = (start: string, node: string, seen: string[]) => {
    for (const next of graph.get(node) ?? []) {
      if (next === start) cycles.push([...seen, start]);
      else if (next > start && !seen.includes(next)) walk(start, next, [...seen, next]);
    }
  };
  for (const start of [...graph.keys()].sort()) walk(start, start, [start]);
  return cycles;
}

describe('the layers', () => {
  it('no module imports itself back, through any chain of imports, type-only ones included', () => {
    const cycles = parseCircular(tree).map((cycle) => cycle.join(' -> '));
    expect(cycles).toEqual([]);
  });

  it('lib/auth, lib/server and lib/control, like every folder of lib/, import one way only: lowest first as in LIB_LAYERS', () => {
    const graph = new Map<string, Set<string>>();
    const upward: string[] = [];
    for (const [from, to] of edges()) {
      if (!from.startsWith('lib/') || !to.startsWith('lib/') || isTest(from)) continue;
      const a = libFolderOf(from);
      const b = libFolderOf(to);
      if (a === b) continue;
      graph.set(a, (graph.get(a) ?? new Set()).add(b));
      expect(LIB_LAYERS, `${a} is a folder of lib/ missing from LIB_LAYERS`).toContain(a);
      if (LIB_LAYERS.indexOf(b) > LIB_LAYERS.indexOf(a)) upward.push(`${from} -> ${to}`);
    }
    expect(cyclesOf(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
    expect(upward).toEqual([]);
  });

  it('code under lib/ (tests aside) never imports the tests, the pages or the components', () => {
    const wrong = edges()
      .filter(([from, to]) => from.startsWith('lib/') && !isTest(from) && /^(tests|e2e|app|components)\//.test(to))
      .map(([from, to]) => `${from} -> ${to}`);
    expect(wrong).toEqual([]);
  });

  it('no two modules under lib/ share a file name (index.ts and types.ts are each folder’s entry and types)', () => {
    const byName = new Map<string, string[]>();
    for (const entry of readdirSync(path.join(root, 'lib'), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || isTest(entry.name) || ['index.ts', 'types.ts'].includes(entry.name)) continue;
      const file = path.relative(root, path.join(entry.parentPath, entry.name));
      byName.set(entry.name, [...(byName.get(entry.name) ?? []), file]);
    }
    expect([...byName.values()].filter((files) => files.length > 1)).toEqual([]);
  });
});

describe('cyclesOf', () => {
  it('finds a cycle through three folders, and none in a chain', () => {
    const graph = (pairs: string[]) => {
      const g = new Map<string, Set<string>>();
      for (const pair of pairs) {
        const [a = '', b = ''] = pair.split('>');
        g.set(a, (g.get(a) ?? new Set()).add(b));
      }
      return g;
    };
    expect(cyclesOf(graph(['auth>server', 'server>control', 'control>auth']))).toEqual([['auth', 'server', 'control', 'auth']]);
    expect(cyclesOf(graph(['server>auth', 'auth>control', 'server>control']))).toEqual([]);
  });
});
