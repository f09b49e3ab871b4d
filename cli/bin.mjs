#!/usr/bin/env node
// The CLI as built into plain JavaScript (dist/cli/, `npm run build:cli`, run by prepack and by the
// tests' global setup). In a checkout whose sources are newer than that build, the sources run
// instead, compiled by tsx: an edit is never shadowed by an older build.
import { cliBuildIsFresh } from '../scripts/build-cli.mjs';

if (cliBuildIsFresh()) {
  await import('../dist/cli/main.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
