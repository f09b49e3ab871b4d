/**
 * Whether a column default makes ADD COLUMN rewrite the table. Since PostgreSQL 11 a non-volatile
 * default is evaluated once and stored in the catalog; a volatile one is evaluated per row, which
 * rewrites the table. Volatility lives in pg_proc, which a linter without a database cannot read,
 * so the functions are named here: the volatile ones that migrations use for defaults, and the
 * stable or immutable ones common enough that flagging them would be noise. Any other function is
 * reported as unknown, since a user function is volatile unless declared otherwise.
 */

const VOLATILE = new Set([
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'gen_random_bytes',
  'random',
  'random_normal',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setseed',
]);

const NON_VOLATILE = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  // The grammar turns AT TIME ZONE and EXTRACT(… FROM …) into these calls.
  'timezone',
  'extract',
  'date_part',
  'current_setting',
  'lower',
  'upper',
  'trim',
  'length',
  'concat',
  'abs',
  'round',
  'floor',
  'ceil',
  'date_trunc',
  'make_interval',
  'to_json',
  'to_jsonb',
  'json_build_object',
  'jsonb_build_object',
  'json_build_array',
  'jsonb_build_array',
]);

export interface DefaultVolatility {
  /** Functions known to be volatile, by name. */
  volatile: string[];
  /** Functions dbdeck cannot judge: volatile unless their definition says otherwise. */
  unknown: string[];
}

type FuncCall = { funcname?: { String?: { sval: string } }[] };

/** Every function called anywhere in an expression tree of libpg_query's JSON. */
function calledFunctions(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) calledFunctions(item, found);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'FuncCall') {
        const name = (value as FuncCall).funcname?.at(-1)?.String?.sval;
        if (name) found.push(name);
      }
      calledFunctions(value, found);
    }
  }
  return found;
}

/** The functions of a default expression that may make it volatile; both lists empty when none. */
export function defaultVolatility(expression: unknown): DefaultVolatility {
  const names = [...new Set(calledFunctions(expression))];
  return { volatile: names.filter((name) => VOLATILE.has(name)), unknown: names.filter((name) => !VOLATILE.has(name) && !NON_VOLATILE.has(name)) };
}
