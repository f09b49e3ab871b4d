import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const SOURCES = ['app', 'cli', 'lib', 'scripts', 'instrumentation.ts'];

function sourceFiles(entry: string): string[] {
  const full = path.join(root, entry);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full).flatMap((name) => (name === 'node_modules' ? [] : sourceFiles(path.join(entry, name))));
}

describe('.env.example', () => {
  it("lists every DBDECK_*, AUTH_* and HOST/PORT variable dbdeck's code reads", () => {
    const code = SOURCES.flatMap(sourceFiles)
      .filter((file) => /\.(ts|tsx|mjs)$/.test(file) && !/\.test\.ts$/.test(file))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const read = new Set([...code.matchAll(/\b(DBDECK_[A-Z0-9_]+|AUTH_[A-Z0-9_]+)\b/g)].map((m) => m[1]!));
    // Names that are not variables: sqld's error code for a refused token, a constant.
    for (const constant of ['AUTH_JWT', 'DBDECK_SCHEMAS']) read.delete(constant);
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    const missing = [...read].filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example));
    expect(missing, 'add these to .env.example, with a line on what each is for').toEqual([]);
    for (const name of ['HOST', 'PORT']) expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
  });
});
