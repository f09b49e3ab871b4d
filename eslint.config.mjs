// ESLint for dbdeck: typescript-eslint, Next's core-web-vitals rules, React's hook rules, and the
// layer boundaries the design relies on (see DESIGN.md "Layers"). Import cycles, type-only ones
// included, are checked by dpdm in `npm run lint` (import-x's no-cycle skips `import type`).
// No type-aware rules: they would build a program with TypeScript 6's JavaScript compiler (the
// `typescript` package here, see docs/tests-and-layout.md, "Code checks"), ~35 s on this tree; type checking is tsc's job.
import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts', '**/*.tsx'];

/** What `lib/engine` may not import: it runs in the CLI, the console, workers and tests alike. */
const ENGINE_FORBIDDEN_IMPORTS = [
  { group: ['next', 'next/*', 'next-auth', 'next-auth/*'], message: 'lib/engine is framework-free: no next/*. Pass what it needs as arguments.' },
  { group: ['react', 'react/*', 'react-dom', 'react-dom/*'], message: 'lib/engine is framework-free: no React.' },
  { group: ['server-only'], message: "lib/engine must load in the CLI and in tests: no 'server-only'." },
];

export default defineConfig([
  // Build output, reports and data: never linted (and never walked, which keeps lint fast).
  globalIgnores([
    '**/node_modules/',
    '.next/',
    'dist/',
    '.data/',
    'test-results/',
    'playwright-report/',
    'blob-report/',
    'bench/.out/',
    'coverage/',
    'next-env.d.ts',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'dbdeck/globals',
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'dbdeck/browser-globals',
    files: ['app/**/*.tsx', 'components/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
  },

  {
    ...nextPlugin.configs['core-web-vitals'],
    files: TS,
    settings: { next: { rootDir: '.' } },
  },
  // The rules of hooks. Not the React Compiler rules of the plugin's recommended set: dbdeck does
  // not compile with React Compiler, and they cost two thirds of the lint time (~13 s here).
  {
    name: 'dbdeck/react-hooks',
    files: ['app/**/*.tsx', 'components/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },

  {
    name: 'dbdeck/typescript',
    files: TS,
    rules: {
      // `_` marks an argument kept for a signature (callbacks, handlers).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },

  // Layer boundaries (DESIGN.md "Layers"): errors, not warnings.
  {
    name: 'dbdeck/boundaries',
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './lib', from: './app', message: 'lib/ is below the routes: move what both need into lib/.' },
            { target: './lib', from: './components', message: 'lib/ is below the UI: move what both need into lib/.' },
          ],
        },
      ],
    },
  },
  {
    name: 'dbdeck/engine',
    files: ['lib/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ENGINE_FORBIDDEN_IMPORTS,
          paths: [
            { name: 'process', importNames: ['env'], message: 'lib/engine reads no environment variables: callers pass values in.' },
            { name: 'node:process', importNames: ['env'], message: 'lib/engine reads no environment variables: callers pass values in.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'lib/engine reads no environment variables: callers pass values in.' },
      ],
      'no-console': ['error'],
    },
  },
]);
