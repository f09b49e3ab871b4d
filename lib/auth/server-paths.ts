import 'server-only';
import path from 'node:path';
import { redactUrlsIn } from '../engine';
import { getWorkspace } from '../runtime/console-workspace';

/**
 * Server paths mean nothing to a browser or an API client and tell an attacker where things are:
 * files under the config's folder (or the console's own) are named relative to it.
 */
export function withoutServerPaths(text: string): string {
  const roots = [...new Set([getWorkspace().config.root, process.cwd()])].sort((a, b) => b.length - a.length);
  let out = text;
  for (const root of roots) out = out.replaceAll(root + path.sep, '').replaceAll(root, '.');
  return out;
}

/** An error as a page shows it: no URL credentials, no server paths. */
export function shownError(text: string): string {
  return withoutServerPaths(redactUrlsIn(text));
}
