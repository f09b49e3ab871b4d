import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { MigrationSet } from './journal';
import { readMigrationFile } from './migration-file';

export interface KitUpCheck {
  /** Whether `drizzle-kit up` (1.0) converts this 0.x folder. */
  convertible: boolean;
  /** What it refuses first, in its words; null when it converts. */
  problem: string | null;
  /** Things it converts anyway that a 1.0 project will trip over. */
  warnings: string[];
  /** The folder each journal entry becomes: `<YYYYMMDDHHMMSS of when>_<tag without its prefix>`. */
  folders: { tag: string; folder: string }[];
}

const ROOT = '00000000-0000-0000-0000-000000000000';

/** drizzle-kit 1.0's folder name for an entry: the UTC time of `when`, to the second. */
export function kitUpFolderName(tag: string, when: number): string {
  const [, ...rest] = tag.split('_');
  return `${new Date(when).toISOString().replace(/[-:T]/g, '').slice(0, 14)}_${rest.join('_')}`;
}

interface Node {
  tag: string;
  folder: string;
  id: string;
  prevIds: string[];
}

function readSnapshot(file: string, folder: string): { id: string; prevIds: string[]; version: number } | string {
  let raw: { id?: unknown; prevId?: unknown; prevIds?: unknown; version?: unknown };
  const bytes = readMigrationFile(file, folder);
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    return `${file} is malformed JSON`;
  }
  const version = Number(raw.version);
  if (!version || version > 9) return `${file} has a snapshot version drizzle-kit 1.0 does not support (${JSON.stringify(raw.version)})`;
  const prevIds = version >= 8 && Array.isArray(raw.prevIds) ? raw.prevIds.map(String) : [String(raw.prevId ?? '')];
  return { id: String(raw.id ?? ''), prevIds, version };
}

/**
 * Replays the checks drizzle-kit 1.0's `up` makes before it moves a 0.x folder into 1.0 folders,
 * without changing a file: every entry has its `meta/<prefix>_snapshot.json` and one SQL file;
 * for PostgreSQL, every snapshot's `prevId` is the `id` of another snapshot of the folder, whose
 * folder sorts before it, and one snapshot starts the chain. (Its SQLite `up` moves the files
 * without checking the chain, so there a break is only a warning.) The conversion of each
 * snapshot's schema, which `up` does after these checks, is not replayed.
 */
export function checkDrizzleKitUp(set: MigrationSet): KitUpCheck {
  const folders = set.migrations.map((m) => ({ tag: m.tag, folder: kitUpFolderName(m.tag, m.when) }));
  const warnings: string[] = [];
  const refuse = (problem: string): KitUpCheck => ({ convertible: false, problem, warnings, folders });
  const postgres = set.dialect === 'postgresql';
  const meta = path.join(set.folder, 'meta');
  const files = readdirSync(set.folder);

  const nodes: Node[] = [];
  for (const [i, m] of set.migrations.entries()) {
    const prefix = m.tag.split('_')[0]!;
    const snapshotFile = path.join(meta, `${prefix}_snapshot.json`);
    if (!existsSync(snapshotFile)) return refuse(`No snapshot was found: ${m.tag} has no ${path.relative(set.folder, snapshotFile)}. Restore it from git.`);
    if (!existsSync(m.file)) {
      const candidates = files.filter((f) => f.startsWith(`${prefix}_`) && f.endsWith('.sql') && !f.endsWith('.down.sql'));
      if (candidates.length > 1) return refuse(`Several sql files were found for ${prefix}: ${candidates.join(', ')}.`);
      if (candidates.length === 0) {
        if (postgres)
          return refuse(`the journal entry ${m.tag} has no SQL file. drizzle-kit expects it at ${path.basename(m.file)}. Restore this file from git.`);
        warnings.push(`${m.tag} has no SQL file: drizzle-kit up drops the entry without a word.`);
      }
    }
    const snapshot = readSnapshot(snapshotFile, set.folder);
    if (typeof snapshot === 'string') return refuse(`Cannot convert migration ${m.tag}: ${snapshot}. Restore it from git.`);
    nodes.push({ tag: m.tag, folder: folders[i]!.folder, id: snapshot.id, prevIds: snapshot.prevIds });
  }

  const bySecond = new Map<string, string>();
  for (const { tag, folder } of folders) {
    const second = folder.slice(0, 14);
    const other = bySecond.get(second);
    if (other)
      warnings.push(
        `${other} and ${tag} were generated in the same second (${second}): their 1.0 folders share a timestamp, which dbdeck refuses and drizzle 1.0's table upgrade tells apart only by hash. Set "when" of ${tag} one second later before running drizzle-kit up.`,
      );
    bySecond.set(second, tag);
  }

  const chainProblem = chainBreak(nodes);
  if (chainProblem && postgres) return refuse(chainProblem);
  if (chainProblem) warnings.push(`drizzle-kit up converts this SQLite folder, but its snapshot chain is broken: ${chainProblem}`);
  return { convertible: true, problem: null, warnings, folders };
}

/** The first break drizzle-kit up's PostgreSQL check finds, in its own order (by folder name). */
function chainBreak(unsorted: Node[]): string | null {
  const nodes = [...unsorted].sort((a, b) => (a.folder < b.folder ? -1 : 1));
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const node of nodes) {
    for (const parentId of node.prevIds) {
      if (!parentId || parentId === ROOT) continue;
      const parent = byId.get(parentId);
      if (!parent) {
        return `a migration was deleted in the middle of the history. Migration ${node.tag} follows the snapshot ${parentId}, and no migration in the folder has this snapshot. Restore the missing migration from git. If that is not possible, delete ${node.tag} and every later migration, run drizzle-kit up, and generate them again.`;
      }
      if (!(node.folder > parent.folder && node.folder.localeCompare(parent.folder) > 0)) {
        return `after drizzle-kit up moves the migrations into folders, migration ${node.tag} sorts before its parent ${parent.tag}. In meta/_journal.json, set "when" of ${node.tag} to a time at least one second after "when" of ${parent.tag}.`;
      }
    }
  }
  const roots = nodes.filter((node) => node.prevIds.every((id) => !id || id === ROOT));
  if (roots.length > 1) return `the folder has two first migrations, ${roots[0]!.tag} and ${roots[1]!.tag}, and a folder must have one.`;
  return null;
}
