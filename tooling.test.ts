import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The layer boundaries of DESIGN.md, as `npm run lint` enforces them: each case is code someone
// could plausibly write, linted as if it were at that path in this repository. Then the cycle
// check and the two TypeScripts the tools rely on.
const root = import.meta.dirname;
const eslint = new ESLint({ cwd: root });

async function errorsIn(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lib/engine stays framework-free', () => {
  it('refuses next/*, next-auth, React and server-only', async () => {
    expect(await errorsIn('lib/engine/example.ts', "import { NextResponse } from 'next/server';\nexport const r = NextResponse;\n")).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*no next\/\*/),
    ]);
    expect(await errorsIn('lib/engine/example.ts', "import { auth } from 'next-auth';\nexport const a = auth;\n")).toEqual([
      expect.stringMatching(/^no-restricted-imports:/),
    ]);
    expect(await errorsIn('lib/engine/drivers/example.ts', "import { useState } from 'react';\nexport const s = useState;\n")).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*no React/),
    ]);
    expect(await errorsIn('lib/engine/example.ts', "import 'server-only';\n")).toEqual([expect.stringMatching(/^no-restricted-imports: .*server-only/)]);
  });

  it('refuses environment variables, however they are read', async () => {
    expect(await errorsIn('lib/engine/example.ts', 'export const url = process.env.DATABASE_URL;\n')).toEqual([
      expect.stringMatching(/^no-restricted-properties: .*environment/),
    ]);
    expect(await errorsIn('lib/engine/example.ts', 'const { env } = process;\nexport const url = env.DATABASE_URL;\n')).toEqual([
      expect.stringMatching(/^no-restricted-properties:/),
    ]);
    expect(await errorsIn('lib/engine/example.ts', "import { env } from 'node:process';\nexport const url = env.DATABASE_URL;\n")).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*environment/),
    ]);
  });

  it('refuses logging to the console (progress goes through callbacks)', async () => {
    expect(await errorsIn('lib/engine/example.ts', "export function run(): void {\n  console.log('applied');\n}\n")).toEqual([
      expect.stringMatching(/^no-console:/),
    ]);
  });

  it('leaves the layers above the engine free to read variables and log', async () => {
    expect(await errorsIn('lib/runtime/example.ts', "export const url = process.env.DATABASE_URL;\nconsole.log('started');\n")).toEqual([]);
    expect(await errorsIn('lib/server/example.ts', "import 'server-only';\nimport { headers } from 'next/headers';\nexport const h = headers;\n")).toEqual([]);
  });
});

describe('lib/ never imports the routes or the UI', () => {
  it('refuses app/ and components/, by alias or relative path', async () => {
    // Any real component: an import that resolves to nothing is tsc's error, not this rule's.
    const component = readdirSync(path.join(root, 'components'), { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.tsx'))!;
    expect(await errorsIn('lib/server/example.ts', `import * as ui from '@/components/${component.replace(/\.tsx$/, '')}';\nexport const c = ui;\n`)).toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*below the UI/),
    ]);
    expect(await errorsIn('lib/engine/example.ts', "import Layout from '../../app/layout';\nexport const l = Layout;\n")).toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*below the routes/),
    ]);
  });

  it('lets the UI import lib/', async () => {
    expect(await errorsIn('components/example.tsx', "import { can } from '@/lib/auth/permissions';\nexport const c = can;\n")).toEqual([]);
  });
});

describe('what ESLint never reads', () => {
  it('skips build output, test reports and data', async () => {
    for (const file of [
      '.next/server/app/page.js',
      'test-results/run/trace.js',
      'playwright-report/index.js',
      '.data/x.js',
      'node_modules/next/index.js',
      'next-env.d.ts',
    ]) {
      expect(await eslint.isPathIgnored(path.join(root, file)), file).toBe(true);
    }
    expect(await eslint.isPathIgnored(path.join(root, 'lib/engine/status.ts'))).toBe(false);
  });
});

describe('import cycles (npm run check:cycles)', () => {
  // The lint script's own dpdm arguments, run on a small project of files with a cycle in it.
  const script = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['check:cycles']!;
  const args = script
    .split(' ')
    .slice(1)
    .map((a) => a.replace(/^'|'$/g, ''));
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-cycles-'));
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  function check(files: Record<string, string>): { code: number | null; output: string } {
    rmSync(path.join(project, 'lib'), { recursive: true, force: true });
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
      writeFileSync(path.join(project, file), text);
    }
    const run = spawnSync(process.execPath, [path.join(root, 'node_modules/dpdm/lib/bin/dpdm.js'), ...args], { cwd: project, encoding: 'utf8' });
    return { code: run.status, output: run.stdout + run.stderr };
  }

  it('fails on a cycle, type-only imports included, and names its files', () => {
    const run = check({
      'lib/engine/reset.ts': "import type { Target } from './reset-postgres';\nexport interface Options { target: Target }\n",
      'lib/engine/reset-postgres.ts': "import type { Options } from './reset';\nexport interface Target { options: Options }\n",
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain('lib/engine/reset.ts -> lib/engine/reset-postgres.ts');
  });

  it('fails on a longer cycle across folders', () => {
    const run = check({
      'lib/auth/guard.ts': "import { store } from '../server/store';\nexport const guard = () => store;\n",
      'lib/server/store.ts': "import { audit } from '../control/audit';\nexport const store = audit;\n",
      'lib/control/audit.ts': "import { guard } from '../auth/guard';\nexport const audit = () => guard;\n",
    });
    expect(run.code).toBe(1);
    const cycle = run.output.split('\n').find((line) => line.includes(' -> '));
    for (const file of ['lib/auth/guard.ts', 'lib/server/store.ts', 'lib/control/audit.ts']) expect(cycle).toContain(file);
  });

  it('passes a tree without cycles', () => {
    const run = check({
      'lib/engine/reset.ts': "import type { Target } from './types';\nexport const reset = (t: Target) => t;\n",
      'lib/engine/types.ts': 'export interface Target { url: string }\n',
    });
    expect(run.code, run.output).toBe(0);
  });
});

describe('the two TypeScripts (docs/tests-and-layout.md, "Code checks")', () => {
  it('runs TypeScript 7 as tsc, and gives tools that import typescript the TypeScript 6 API', () => {
    // npm links one `tsc` although two packages declare it: if TS 6's ever won, type checks would
    // silently run on the JavaScript compiler.
    const tsc = spawnSync(path.join(root, 'node_modules/.bin/tsc'), ['--version'], { encoding: 'utf8' });
    expect(tsc.stdout).toMatch(/^Version 7\./);
    const api = spawnSync(process.execPath, ['-p', "require('typescript').version"], { cwd: root, encoding: 'utf8' });
    expect(api.stdout).toMatch(/^6\.0\./);
  });
});
