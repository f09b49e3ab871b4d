/**
 * The few node shapes of libpg_query's JSON AST that the rules read, as printed by `parse()`
 * (PostgreSQL 18 grammar). Protobuf JSON omits false/empty fields, so every flag is optional.
 */
export interface RangeVar {
  schemaname?: string;
  relname: string;
}

export interface Constraint {
  contype: string;
  conname?: string;
  /** Set by NOT VALID. */
  skip_validation?: boolean;
  /** The referenced table of a foreign key. */
  pktable?: RangeVar;
  /** UNIQUE / PRIMARY KEY USING INDEX: attaches an index that already exists. */
  indexname?: string;
  /** A DEFAULT's or a generated column's expression. */
  raw_expr?: unknown;
  /** A generated column: `s` stored, `v` virtual. */
  generated_kind?: string;
}

export interface ColumnDef {
  colname?: string;
  typeName?: { names?: { String?: { sval: string } }[] };
  constraints?: { Constraint?: Constraint }[];
}

export interface AlterTableCmd {
  subtype: string;
  name?: string;
  def?: { ColumnDef?: ColumnDef; Constraint?: Constraint; PartitionCmd?: { name?: RangeVar; concurrent?: boolean } };
}

/** A statement node: one key naming its type (`IndexStmt`, `DropStmt`, …) and its fields. */
/** Where a statement sits and what the migration created before it (given to every statement check). */
export interface StatementContext {
  index: number;
  excerpt: string;
  /** True for a table (or index) created earlier in the same migration: empty, so nothing to lose or lock. */
  isNew(relation: RangeVar): boolean;
}

export type StatementNode = Record<string, Record<string, unknown>>;

/** One parsed statement and the text it came from (a breakpoint piece may hold several). */
export interface ParsedStatement {
  node: StatementNode;
  text: string;
  /** Where `text` starts and ends in the piece, in characters (its terminating `;` not included). */
  start: number;
  end: number;
}

export type ParsedPiece = { ok: true; statements: ParsedStatement[] } | { ok: false; message: string };

let loaded: Promise<typeof import('libpg-query')> | null = null;

/**
 * libpg-query and its WASM module load once per process, when the first piece is parsed (or
 * scanned): a status, or a migrate with nothing pending, never loads them.
 */
export function parserReady(): Promise<typeof import('libpg-query')> {
  loaded ??= import('libpg-query').then(async (libpgQuery) => {
    await libpgQuery.loadModule();
    return libpgQuery;
  });
  return loaded;
}

/**
 * Parses one breakpoint piece with PostgreSQL's own grammar. A parse failure is a value, with
 * the parser's message and the line and column of its cursor, so one bad piece doesn't hide
 * the findings of the others.
 */
export async function parsePiece(piece: string): Promise<ParsedPiece> {
  const { parse } = await parserReady();
  let result: { stmts?: { stmt?: StatementNode; stmt_location?: number; stmt_len?: number }[] };
  try {
    result = (await parse(piece)) as typeof result;
  } catch (error) {
    const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    const message = details?.message ?? (error instanceof Error ? error.message : String(error));
    const at = details?.cursorPosition === undefined ? '' : ` (${lineAndColumn(piece, details.cursorPosition)})`;
    return { ok: false, message: `${message}${at}` };
  }
  // Locations are byte offsets into the UTF-8 text, not string indexes.
  const bytes = Buffer.from(piece, 'utf8');
  const characters = (byteOffset: number) => bytes.subarray(0, byteOffset).toString('utf8').length;
  const statements = (result.stmts ?? []).flatMap(({ stmt, stmt_location: start = 0, stmt_len: length }) => {
    if (!stmt) return [];
    const end = length === undefined || length === 0 ? bytes.length : start + length;
    return [{ node: stmt, text: bytes.subarray(start, end).toString('utf8'), start: characters(start), end: characters(end) }];
  });
  return { ok: true, statements };
}

function lineAndColumn(text: string, byteOffset: number): string {
  const before = Buffer.from(text, 'utf8').subarray(0, byteOffset).toString('utf8');
  const lines = before.split('\n');
  return `line ${lines.length}, column ${lines.at(-1)!.length + 1}`;
}

/** The statement's type name and fields, e.g. `['IndexStmt', { idxname, relation, … }]`. */
export function statementKind(node: StatementNode): [string, Record<string, unknown>] {
  const [kind, fields] = Object.entries(node)[0]!;
  return [kind, fields];
}

/** A relation's identity within one migration; unqualified names are taken to be in public. */
export function relationKey(relation: RangeVar): string {
  return `${relation.schemaname ?? 'public'}.${relation.relname}`;
}

/** The name as a reader would write it: `"orders"` or `"billing"."orders"`. */
export function relationName(relation: RangeVar): string {
  return relation.schemaname && relation.schemaname !== 'public' ? `"${relation.schemaname}"."${relation.relname}"` : `"${relation.relname}"`;
}

/**
 * The objects of a DROP: `[{ List: { items: [{ String }] } }]` for tables (schema-qualified or
 * not), `[{ String }]` for schemas. Returned as relations so tables can be matched by key.
 */
export function droppedObjects(objects: unknown): RangeVar[] {
  if (!Array.isArray(objects)) return [];
  return objects.map((object: { List?: { items?: { String?: { sval: string } }[] }; String?: { sval: string } }) => {
    const parts = object.List?.items?.map((item) => item.String?.sval ?? '?') ?? [object.String?.sval ?? '?'];
    return parts.length > 1 ? { schemaname: parts.at(-2), relname: parts.at(-1)! } : { relname: parts[0]! };
  });
}
