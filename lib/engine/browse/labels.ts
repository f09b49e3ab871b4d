import type { Row, SqlExecutor } from '../drivers';
import { DbdeckError } from '../errors';
import { isMasked, maskRows, words } from './mask';
import { findTable, qualifiedName, quoteIdent, shown, tableKey } from './names';
import type { BrowseSchema, BrowseTable, ForeignKey, MaskPolicy, PageReference } from './types';

/**
 * Records by what they are: a foreign key is shown with the label of the row it points to (an
 * order's `user_id` as the customer's name). A table's label column is the one the config names
 * (`browse: { labels: { users: 'name' } }`), else its first text column that is neither
 * personal, secret, an enum nor part of a key, preferring one called like a name (name, title,
 * label, number, slug, code). The label is masked exactly as its own column is when that table is
 * browsed: a personal label is MASK for support.
 */

/** Label columns the config names, by table key (`name`, or `schema.name` outside public). */
export type LabelColumns = Readonly<Record<string, string>>;

/** Column names that read as a row's name, by their last word (`display_name`, `order_number`). */
const NAME_LIKE = ['name', 'title', 'label', 'number', 'slug', 'code'];

/**
 * The configured label columns, checked against a database's tables: a column a table does not
 * have is a config error naming both. A table this database doesn't have (an environment behind
 * on its migrations) is passed over.
 */
export function checkLabelColumns(schema: BrowseSchema, configured: LabelColumns): void {
  for (const [key, column] of Object.entries(configured)) {
    const table = schema.tables.find((t) => tableKey(t) === key);
    if (table && !table.columns.some((c) => c.name === column)) {
      throw new DbdeckError(
        'config',
        `browse.labels names column ${shown(column)} for table ${shown(key)}, which has no such column (its columns: ${table.columns.map((c) => c.name).join(', ')})`,
      );
    }
  }
}

/**
 * The column whose value labels a row of `table`, or null when it has none. The default does not
 * depend on who is looking: it skips columns that are personal for anyone (support's policy).
 */
export function labelColumnOf(table: BrowseTable, configured: LabelColumns, extraPersonal: readonly string[] = []): string | null {
  const named = configured[tableKey(table)];
  if (named !== undefined) return table.columns.some((c) => c.name === named) ? named : null;
  const keys = new Set([...table.primaryKey, ...table.foreignKeys.flatMap((fk) => fk.columns)]);
  const personal: MaskPolicy = { maskPersonal: true, extraPersonal: [...extraPersonal] };
  const candidates = table.columns.filter((c) => c.kind === 'text' && !c.enumValues && !keys.has(c.name) && !isMasked(table, c.name, personal));
  return (candidates.find((c) => NAME_LIKE.includes(words(c.name).at(-1) ?? '')) ?? candidates[0])?.name ?? null;
}

/** Key values as one comparable text: drivers differ in how they hand them over (a bigint as text or number). */
export function keyText(values: readonly unknown[]): string {
  return JSON.stringify(values.map((value) => (value instanceof Date ? value.toISOString() : String(value))));
}

/** A label as text: dates as ISO, JSON as JSON; null stays null. */
function labelText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One referenced table's lookup: its label column and the foreign keys of the page's table that point at it. */
interface LabelLookup {
  target: BrowseTable;
  labelColumn: string;
  foreignKeys: ForeignKey[];
}

/**
 * Which of `table`'s foreign keys get labels, grouped by the table they point at. A foreign key
 * whose columns this viewer sees masked gets none: its label would tell which row it is.
 */
export function labelLookups(schema: BrowseSchema, table: BrowseTable, policy: MaskPolicy, configured: LabelColumns): LabelLookup[] {
  const byTarget = new Map<string, LabelLookup>();
  for (const foreignKey of table.foreignKeys) {
    if (foreignKey.columns.some((column) => isMasked(table, column, policy))) continue;
    const target = findTable(schema, foreignKey.table);
    const labelColumn = labelColumnOf(target, configured, policy.extraPersonal);
    if (labelColumn === null) continue;
    const key = tableKey(target);
    const lookup = byTarget.get(key) ?? { target, labelColumn, foreignKeys: [] };
    lookup.foreignKeys.push(foreignKey);
    byTarget.set(key, lookup);
  }
  return [...byTarget.values()];
}

/** Parameters and their placeholders, in the order they appear in the text. */
function placeholders(dialect: BrowseSchema['dialect'], params: unknown[]) {
  return (value: unknown) => {
    params.push(value);
    return dialect === 'postgresql' ? `$${params.length}` : '?';
  };
}

/**
 * The one SELECT that reads the labels of every row the page's keys point at in one table: the
 * referenced columns of each foreign key and the label column, for the distinct key values only.
 * One column on PostgreSQL compares with `= ANY($1)` (one statement text whatever the page, so
 * it is prepared once); elsewhere, and for composite keys, with `IN` lists.
 */
function labelQuery(dialect: BrowseSchema['dialect'], lookup: LabelLookup, keys: Map<string, unknown[][]>): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const bind = placeholders(dialect, params);
  const conditions: string[] = [];
  for (const [columnList, tuples] of keys) {
    const columns: string[] = JSON.parse(columnList);
    const quoted = columns.map(quoteIdent);
    if (columns.length === 1 && dialect === 'postgresql') conditions.push(`${quoted[0]} = ANY(${bind(tuples.map((t) => t[0]))})`);
    else if (columns.length === 1) conditions.push(`${quoted[0]} IN (${tuples.map((t) => bind(t[0])).join(', ')})`);
    else conditions.push(`(${quoted.join(', ')}) IN (${tuples.map((t) => `(${t.map(bind).join(', ')})`).join(', ')})`);
  }
  const selected = [...new Set([...[...keys.keys()].flatMap((list) => JSON.parse(list) as string[]), lookup.labelColumn])];
  return {
    sql: `SELECT ${selected.map(quoteIdent).join(', ')} FROM ${qualifiedName(lookup.target)} WHERE ${conditions.join(' OR ')}`,
    params,
  };
}

/**
 * The labels of the rows `rows`' foreign keys point at: one query per referenced table, whatever
 * the number of rows or of keys pointing at it. Every label is masked as its column is when its
 * own table is browsed by this viewer. A composite key gets a label when all its columns match.
 */
export async function lookupLabels(
  db: SqlExecutor,
  schema: BrowseSchema,
  lookups: LabelLookup[],
  rows: readonly Row[],
  policy: MaskPolicy,
): Promise<PageReference[]> {
  const perTable = await Promise.all(
    lookups.map(async (lookup): Promise<PageReference[]> => {
      // Distinct key values per list of referenced columns (two keys may point at the same ones).
      const keys = new Map<string, Map<string, unknown[]>>();
      const valuesOf = (fk: ForeignKey, row: Row) => fk.columns.map((column) => row[column]);
      for (const fk of lookup.foreignKeys) {
        const distinct = keys.get(JSON.stringify(fk.refColumns)) ?? new Map<string, unknown[]>();
        for (const row of rows) {
          const values = valuesOf(fk, row);
          if (values.every((value) => value !== null && value !== undefined)) distinct.set(keyText(values), values);
        }
        keys.set(JSON.stringify(fk.refColumns), distinct);
      }
      const wanted = new Map([...keys].filter(([, distinct]) => distinct.size > 0).map(([list, distinct]) => [list, [...distinct.values()]]));
      const found = new Map<string, unknown>();
      if (wanted.size > 0) {
        const query = labelQuery(schema.dialect, lookup, wanted);
        for (const row of await db.query(query.sql, query.params)) {
          for (const list of wanted.keys()) {
            const columns: string[] = JSON.parse(list);
            found.set(`${list}:${keyText(columns.map((c) => row[c]))}`, row[lookup.labelColumn]);
          }
        }
      }
      return referencesOf(schema, lookup, rows, policy, (foreignKey, row) => {
        const values = valuesOf(foreignKey, row);
        if (values.some((value) => value === null || value === undefined)) return null;
        return found.get(`${JSON.stringify(foreignKey.refColumns)}:${keyText(values)}`);
      });
    }),
  );
  return perTable.flat();
}

/** Each foreign key of a lookup with the label of each row's referenced row, masked for this viewer. */
function referencesOf(
  schema: BrowseSchema,
  lookup: LabelLookup,
  rows: readonly Row[],
  policy: MaskPolicy,
  rawLabel: (foreignKey: ForeignKey, row: Row) => unknown,
): PageReference[] {
  const { target, labelColumn } = lookup;
  const masked = isMasked(target, labelColumn, policy);
  return lookup.foreignKeys.map((foreignKey) => {
    // The labels as rows of their own table, masked by the very function that masks its pages.
    const asRows = rows.map((row) => ({ [labelColumn]: rawLabel(foreignKey, row) }));
    const shown = maskRows(target, asRows, policy, { jsonAsText: schema.dialect === 'sqlite' }).rows;
    return { foreignKey, labelColumn, masked, labels: shown.map((row) => labelText(row[labelColumn])) };
  });
}

/** Result column names for inline labels that no column of the table starts with. */
function labelAliases(table: BrowseTable, count: number): string[] {
  let prefix = '__dbdeck_l';
  while (table.columns.some((c) => c.name.toLowerCase().startsWith(prefix))) prefix = `_${prefix}`;
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

/**
 * Labels read by the page's own statement: one correlated subquery per foreign key in its select
 * list, `(SELECT l."name" FROM "users" AS l WHERE l."id" = "orders"."user_id")`. Only for keyset
 * pages, where the database evaluates them for the page's rows alone (the LIMIT sits right on the
 * index scan); an OFFSET or sorted page would evaluate them for every row it skips.
 */
export function inlineLabels(table: BrowseTable, lookups: LabelLookup[]) {
  const pairs = lookups.flatMap((lookup) => lookup.foreignKeys.map((foreignKey) => ({ lookup, foreignKey })));
  const aliases = labelAliases(table, pairs.length);
  const outer = qualifiedName(table);
  const columns = pairs.map(({ lookup, foreignKey }, i) => {
    const matches = foreignKey.refColumns.map((ref, j) => `l.${quoteIdent(ref)} = ${outer}.${quoteIdent(foreignKey.columns[j]!)}`);
    return `(SELECT l.${quoteIdent(lookup.labelColumn)} FROM ${qualifiedName(lookup.target)} AS l WHERE ${matches.join(' AND ')}) AS ${aliases[i]}`;
  });
  return {
    columns,
    /** The page's references, from its rows as read (before masking drops the aliases). */
    references(schema: BrowseSchema, rows: readonly Row[], policy: MaskPolicy): PageReference[] {
      return lookups.flatMap((lookup) =>
        referencesOf(schema, lookup, rows, policy, (foreignKey, row) => row[aliases[pairs.findIndex((p) => p.foreignKey === foreignKey)]!]),
      );
    },
  };
}
