import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Whether `dir` lies inside a git work tree: a `.git` (folder, or file for a worktree) in it or above it. */
function insideGitWorkTree(dir: string): boolean {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, '.git'))) return true;
    if (path.dirname(at) === at) return false;
  }
}

/** Whether git ignores `dir` already (a rule in any .gitignore, or the user's excludes); null when git can't say. */
function gitIgnores(dir: string): boolean | null {
  const run = spawnSync('git', ['check-ignore', '-q', path.basename(dir)], { cwd: path.dirname(dir), stdio: 'ignore' });
  if (run.error || (run.status !== 0 && run.status !== 1)) return null;
  return run.status === 0;
}

/**
 * Keeps a folder dbdeck creates in someone's repository (the embedded default's `.data/`, which
 * holds databases and the embedded server's password) out of their commits: when the folder lies
 * inside a git work tree and git doesn't ignore it yet, `<name>/` is added to the `.gitignore`
 * beside it (created if missing). Returns what the user should be told (what was added, or that it
 * could not be), null when there was nothing to do.
 */
export function ignoreInGit(dir: string): string | null {
  const parent = path.dirname(dir);
  if (!insideGitWorkTree(parent)) return null;
  const line = `${path.basename(dir)}/`;
  const file = path.join(parent, '.gitignore');
  try {
    const existing = existsSync(file) ? readFileSync(file, 'utf8') : null;
    const listed = existing?.split(/\r?\n/).some((entry) => [line, `/${line}`, line.slice(0, -1), `/${line.slice(0, -1)}`].includes(entry.trim()));
    if (listed || gitIgnores(dir)) return null;
    appendFileSync(file, `${existing && !existing.endsWith('\n') ? '\n' : ''}${line}\n`);
    return `added ${line} to ${file}: it holds dbdeck's embedded databases and their password, which must not be committed`;
  } catch (error) {
    return `could not add ${line} to ${file} (${error instanceof Error ? error.message : String(error)}): add it yourself, it holds dbdeck's embedded databases and their password, which must not be committed`;
  }
}
