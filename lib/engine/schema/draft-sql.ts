import { existsSync } from 'node:fs';
import path from 'node:path';
import { messageOf } from '../errors';
import { renameQuestions } from '../down/rename-questions';
import type { Migration, MigrationSet } from '../journal';
import { readMigrationFile } from '../migration-file';

export type DraftSql = { ok: true; statements: string[]; from: string; to: string } | { ok: false; reason: string };

/** The snapshot drizzle-kit wrote beside a migration: the schema after it (`meta/<prefix>_snapshot.json`). */
function snapshotAfter(set: MigrationSet, migration: Migration): unknown | null {
  const prefix = migration.tag.split('_')[0]!;
  const file = path.join(set.folder, 'meta', `${prefix}_snapshot.json`);
  if (!existsSync(file)) return null;
  return JSON.parse(readMigrationFile(file, set.folder).toString('utf8')) as unknown;
}

const isPrefix = (applied: Migration[], set: MigrationSet) => applied.every((m, i) => set.migrations[i]?.tag === m.tag);

/**
 * drizzle-kit's own diff between the schemas two applied sets produce: the snapshots drizzle-kit
 * wrote after the last migration of each, given to `generateMigration` (`drizzle-kit/api`). Only
 * the differences migrations explain can be drafted this way; drift has no snapshot. Refused when
 * a set is not a prefix of the journal (its schema is no snapshot's) or a snapshot is missing.
 * A diff drizzle-kit would have to ask about (a rename?) is refused before drizzle-kit is called:
 * its API would wait for an answer on a terminal.
 */
export async function draftSqlBetween(set: MigrationSet, from: Migration[], to: Migration[], labels: { from: string; to: string }): Promise<DraftSql> {
  for (const [applied, label] of [
    [from, labels.from],
    [to, labels.to],
  ] as const) {
    if (!isPrefix(applied, set))
      return { ok: false, reason: `${label}'s applied migrations are not the journal's first ones, so no drizzle-kit snapshot describes its schema` };
  }
  const snapshots: unknown[] = [];
  for (const applied of [from, to]) {
    const last = applied.at(-1);
    const snapshot = last ? snapshotAfter(set, last) : null;
    if (last && snapshot === null) return { ok: false, reason: `${last.tag} has no drizzle-kit snapshot (meta/${last.tag.split('_')[0]}_snapshot.json)` };
    snapshots.push(snapshot);
  }
  try {
    const api = await import('drizzle-kit/api');
    const empty = set.dialect === 'postgresql' ? await api.generateDrizzleJson({}) : await api.generateSQLiteDrizzleJson({});
    const [prev, cur] = snapshots.map((s) => s ?? empty);
    // drizzle-kit would ask these on a terminal and wait for an answer: never call it then.
    const questions = renameQuestions(prev as Record<string, unknown>, cur as Record<string, unknown>, set.dialect);
    if (questions.length > 0)
      return {
        ok: false,
        reason: `drizzle-kit would have to ask whether something was renamed or dropped and created (${questions.join('; ')}); run drizzle-kit generate for this step`,
      };
    const statements =
      set.dialect === 'postgresql'
        ? await api.generateMigration(prev as Parameters<typeof api.generateMigration>[0], cur as Parameters<typeof api.generateMigration>[1])
        : await api.generateSQLiteMigration(
            prev as Parameters<typeof api.generateSQLiteMigration>[0],
            cur as Parameters<typeof api.generateSQLiteMigration>[1],
          );
    return { ok: true, statements, from: labels.from, to: labels.to };
  } catch (error) {
    return { ok: false, reason: `drizzle-kit could not diff the snapshots: ${messageOf(error)}` };
  }
}
