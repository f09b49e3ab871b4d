/**
 * drizzle-kit 0.x folders generated the way drizzle-kit generates them: each migration is
 * drizzle-kit's own diff (its `drizzle-kit/api`) between two schemas written with drizzle-orm's
 * builders, beside the snapshot of the schema after it. The schemas evolve through what drafts of
 * down SQL must reverse: tables, columns with defaults, indexes, foreign keys, enums and their
 * values (PostgreSQL), defaults and NOT NULL changed (SQLite: table recreations), dropped tables,
 * and renames (written as drizzle-kit writes them once its question is answered). Used by the
 * rollback proofs and `npm run bench:down`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateDrizzleJson, generateMigration, generateSQLiteDrizzleJson, generateSQLiteMigration } from 'drizzle-kit/api';
import { sql } from 'drizzle-orm';
import * as pg from 'drizzle-orm/pg-core';
import * as sqlite from 'drizzle-orm/sqlite-core';
import type { Dialect } from '../../lib/engine';

const BP = '\n--> statement-breakpoint\n';

interface Column {
  name: string;
  type: 'text' | 'int' | 'bool' | 'enum';
  notNull?: boolean;
  /** A literal default (or `0`, `false`, `'a'`). */
  default?: string | number | boolean;
  enumName?: string;
  references?: string;
}

interface Table {
  name: string;
  columns: Column[];
  indexes: { name: string; column: string }[];
}

interface State {
  tables: Table[];
  enums: { name: string; values: string[] }[];
}

/** What each generated migration does, in the order they cycle. */
export const CORPUS_STEPS = {
  postgresql: ['create-table', 'add-column-default', 'index', 'foreign-key', 'enum', 'enum-value', 'change-default', 'drop-table', 'rename'],
  sqlite: ['create-table', 'add-column-default', 'index', 'foreign-key', 'change-default', 'set-not-null', 'drop-table', 'rename'],
} as const;

export type CorpusStep = (typeof CORPUS_STEPS)[Dialect][number];

export interface KitCorpus {
  folder: string;
  /** Per migration, in journal order: its tag, what it exercises, and the schema snapshots around it. */
  migrations: { tag: string; step: CorpusStep; before: Record<string, unknown>; after: Record<string, unknown> }[];
}

type Snapshot = Record<string, unknown> & { id: string };

function pgSchema(state: State): Record<string, unknown> {
  const enums = new Map(state.enums.map((e) => [e.name, pg.pgEnum(e.name, e.values as [string, ...string[]])]));
  const tables = new Map<string, pg.PgTableWithColumns<never>>();
  for (const t of state.tables) {
    const columns: Record<string, pg.PgColumnBuilderBase> = { id: pg.serial('id').primaryKey() };
    for (const c of t.columns) {
      let column: pg.PgColumnBuilderBase & { notNull(): unknown; default(value: unknown): unknown; references(ref: () => unknown, o: unknown): unknown } =
        c.type === 'text'
          ? (pg.text(c.name) as never)
          : c.type === 'int'
            ? (pg.integer(c.name) as never)
            : c.type === 'bool'
              ? (pg.boolean(c.name) as never)
              : (enums.get(c.enumName!)!(c.name) as never);
      if (c.notNull) column = column.notNull() as never;
      if (c.default !== undefined) column = column.default(c.default) as never;
      if (c.references) {
        const parent = tables.get(c.references)!;
        column = column.references(() => (parent as unknown as { id: pg.AnyPgColumn }).id, { onDelete: 'cascade' }) as never;
      }
      columns[c.name] = column;
    }
    tables.set(
      t.name,
      pg.pgTable(t.name, columns, (table) => t.indexes.map((ix) => pg.index(ix.name).on((table as Record<string, pg.AnyPgColumn>)[ix.column]!))) as never,
    );
  }
  return { ...Object.fromEntries([...enums].map(([name, e]) => [`enum_${name}`, e])), ...Object.fromEntries(tables) };
}

function sqliteSchema(state: State): Record<string, unknown> {
  const tables = new Map<string, unknown>();
  for (const t of state.tables) {
    const columns: Record<string, sqlite.SQLiteColumnBuilderBase> = { id: sqlite.integer('id').primaryKey({ autoIncrement: true }) };
    for (const c of t.columns) {
      let column: sqlite.SQLiteColumnBuilderBase & {
        notNull(): unknown;
        default(value: unknown): unknown;
        references(ref: () => unknown, o: unknown): unknown;
      } = c.type === 'text' || c.type === 'enum' ? (sqlite.text(c.name) as never) : (sqlite.integer(c.name) as never);
      if (c.notNull) column = column.notNull() as never;
      if (c.default !== undefined) column = column.default(typeof c.default === 'boolean' ? sql.raw(c.default ? '1' : '0') : c.default) as never;
      if (c.references) {
        const parent = tables.get(c.references) as { id: sqlite.AnySQLiteColumn };
        column = column.references(() => parent.id, { onDelete: 'cascade' }) as never;
      }
      columns[c.name] = column;
    }
    tables.set(
      t.name,
      sqlite.sqliteTable(t.name, columns, (table) =>
        t.indexes.map((ix) => sqlite.index(ix.name).on((table as Record<string, sqlite.AnySQLiteColumn>)[ix.column]!)),
      ),
    );
  }
  return Object.fromEntries(tables);
}

/** The next schema, and for a rename the SQL drizzle-kit writes once told it is one (its API would ask). */
function evolve(state: State, step: CorpusStep, i: number, dialect: Dialect): { state: State; renamed?: string } {
  const next: State = structuredClone(state);
  const pick = (offset = 0) => next.tables[(i * 7 + offset) % next.tables.length]!;
  switch (step) {
    case 'create-table':
      next.tables.push({
        name: `t${i}`,
        columns: [
          { name: 'name', type: 'text', notNull: true },
          { name: 'amount', type: 'int', default: 0 },
          { name: 'note', type: 'text' },
        ],
        indexes: [],
      });
      break;
    case 'add-column-default':
      pick().columns.push({ name: `flag${i}`, type: 'bool', default: false, notNull: true });
      break;
    case 'index': {
      const table = pick();
      table.indexes.push({ name: `${table.name}_i${i}_idx`, column: table.columns.find((c) => c.type !== 'enum')?.name ?? 'id' });
      break;
    }
    case 'foreign-key':
      next.tables.push({ name: `c${i}`, columns: [{ name: 'parent_id', type: 'int', notNull: true, references: pick().name }], indexes: [] });
      break;
    case 'enum':
      next.enums.push({ name: `e${i}`, values: ['a', 'b'] });
      pick().columns.push({ name: `status${i}`, type: 'enum', enumName: `e${i}`, default: 'a' });
      break;
    case 'enum-value': {
      const e = next.enums.at(-1);
      if (e) e.values.push(`v${i}`);
      else next.enums.push({ name: `e${i}`, values: ['a'] });
      break;
    }
    case 'change-default': {
      const column = pick().columns.find((c) => c.type === 'int' && !c.references);
      if (column) column.default = (Number(column.default ?? 0) || 0) + i;
      else pick().columns.push({ name: `n${i}`, type: 'int', default: i });
      break;
    }
    case 'set-not-null': {
      const column = pick().columns.find((c) => !c.notNull && !c.references);
      if (column) Object.assign(column, { notNull: true, default: column.default ?? (column.type === 'text' ? '' : 0) });
      else pick().columns.push({ name: `n${i}`, type: 'int', default: 0, notNull: true });
      break;
    }
    case 'drop-table': {
      const children = next.tables.filter((t) => t.name.startsWith('c') && !next.tables.some((o) => o.columns.some((c) => c.references === t.name)));
      const victim = children.at(0);
      if (victim) next.tables = next.tables.filter((t) => t !== victim);
      else next.tables.push({ name: `t${i}`, columns: [{ name: 'name', type: 'text' }], indexes: [] });
      break;
    }
    case 'rename': {
      const renameable = (t: Table) => t.columns.find((c) => c.type === 'text' && !t.indexes.some((ix) => ix.column === c.name));
      const table = next.tables.find(renameable);
      const column = table && renameable(table);
      if (!table || !column) {
        pick().columns.push({ name: `r${i}`, type: 'text' });
        break;
      }
      const to = `${column.name}_r${i}`;
      const renamed = `ALTER TABLE "${table.name}" RENAME COLUMN "${column.name}" TO "${to}";`;
      column.name = to;
      return { state: next, renamed };
    }
  }
  void dialect;
  return { state: next };
}

/**
 * Writes `count` migrations with their snapshots and journal into `dir`. Without `renames`, the
 * rename step is skipped (drizzle-kit's API would ask about it): every migration is then
 * drizzle-kit's own output, as `bench:down` needs.
 */
export async function writeKitCorpus(dir: string, dialect: Dialect, count: number, options: { renames?: boolean } = {}): Promise<KitCorpus> {
  mkdirSync(path.join(dir, 'meta'), { recursive: true });
  const steps = CORPUS_STEPS[dialect].filter((s) => options.renames || s !== 'rename') as CorpusStep[];
  let state: State = { tables: [], enums: [] };
  let previous: Snapshot =
    dialect === 'postgresql' ? (generateDrizzleJson({}) as unknown as Snapshot) : ((await generateSQLiteDrizzleJson({})) as unknown as Snapshot);
  const corpus: KitCorpus = { folder: dir, migrations: [] };
  const entries = [];
  for (let i = 0; i < count; i++) {
    const step = i === 0 ? 'create-table' : steps[i % steps.length]!;
    const evolved = evolve(state, step, i, dialect);
    state = evolved.state;
    const prevId = i === 0 ? '00000000-0000-0000-0000-000000000000' : previous.id;
    const snapshot =
      dialect === 'postgresql'
        ? (generateDrizzleJson(pgSchema(state), prevId) as unknown as Snapshot)
        : ((await generateSQLiteDrizzleJson(sqliteSchema(state), prevId)) as unknown as Snapshot);
    const statements = evolved.renamed
      ? [evolved.renamed]
      : dialect === 'postgresql'
        ? await generateMigration(previous as never, snapshot as never)
        : await generateSQLiteMigration(previous as never, snapshot as never);
    const prefix = String(i).padStart(4, '0');
    const tag = `${prefix}_${step.replaceAll('-', '_')}`;
    writeFileSync(path.join(dir, `${tag}.sql`), statements.join(BP));
    writeFileSync(path.join(dir, 'meta', `${prefix}_snapshot.json`), JSON.stringify(snapshot, null, 2));
    entries.push({ idx: i, version: '7', when: 1_700_000_000_000 + i * 1000, tag, breakpoints: true });
    corpus.migrations.push({ tag, step, before: previous, after: snapshot });
    previous = snapshot;
  }
  writeFileSync(
    path.join(dir, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: dialect === 'postgresql' ? 'postgresql' : 'sqlite', entries }, null, 2),
  );
  return corpus;
}
