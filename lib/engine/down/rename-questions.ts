import type { Dialect } from '../types';

type Snapshot = Record<string, unknown>;

const entriesOf = (value: unknown): Record<string, Record<string, unknown>> =>
  typeof value === 'object' && value !== null ? (value as Record<string, Record<string, unknown>>) : {};

function addedAndDropped(from: unknown, to: unknown): { added: string[]; dropped: string[] } {
  const before = entriesOf(from);
  const after = entriesOf(to);
  return {
    added: Object.keys(after).filter((key) => !(key in before)),
    dropped: Object.keys(before).filter((key) => !(key in after)),
  };
}

/** Snapshot sections whose entries drizzle-kit 0.31 matches by key, asking about renames when some vanish while others appear. */
const SECTIONS: Record<Dialect, { key: string; kind: string }[]> = {
  postgresql: [
    { key: 'schemas', kind: 'schema' },
    { key: 'enums', kind: 'enum' },
    { key: 'sequences', kind: 'sequence' },
    { key: 'roles', kind: 'role' },
    { key: 'tables', kind: 'table' },
    { key: 'policies', kind: 'policy' },
    { key: 'views', kind: 'view' },
  ],
  sqlite: [
    { key: 'tables', kind: 'table' },
    { key: 'views', kind: 'view' },
  ],
};

/** Per-table sections asked about the same way, for tables present on both sides. */
const TABLE_SECTIONS: Record<Dialect, { key: string; kind: string }[]> = {
  postgresql: [
    { key: 'columns', kind: 'column' },
    { key: 'policies', kind: 'policy' },
  ],
  sqlite: [{ key: 'columns', kind: 'column' }],
};

const listed = (names: string[]) => names.map((name) => `"${name}"`).join(', ');

/**
 * The questions drizzle-kit 0.31's `generateMigration` would ask on a terminal going from `from`
 * to `to`: its resolvers prompt exactly when, in one section, an entry vanishes while another
 * appears (rename, or drop and create?). Its API takes no answer and no "never ask" option, and
 * on a terminal it waits for one, so dbdeck asks these questions first and never calls it when
 * there is one. Each question names what drizzle-kit would ask about.
 */
export function renameQuestions(from: Snapshot, to: Snapshot, dialect: Dialect): string[] {
  const questions: string[] = [];
  for (const { key, kind } of SECTIONS[dialect]) {
    const { added, dropped } = addedAndDropped(from[key], to[key]);
    if (added.length > 0 && dropped.length > 0) questions.push(`${kind} ${listed(dropped)} dropped while ${listed(added)} is created: a rename?`);
  }
  const fromTables = entriesOf(from.tables);
  const toTables = entriesOf(to.tables);
  for (const [table, before] of Object.entries(fromTables)) {
    const after = toTables[table];
    if (!after) continue;
    for (const { key, kind } of TABLE_SECTIONS[dialect]) {
      const { added, dropped } = addedAndDropped(before[key], after[key]);
      if (added.length > 0 && dropped.length > 0)
        questions.push(`${kind} ${listed(dropped)} of table "${table}" dropped while ${listed(added)} is created: a rename?`);
    }
  }
  return questions;
}
