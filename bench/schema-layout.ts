/**
 * npm run bench:schema-layout — server-side ELK layout time of the schema diagram at 150 tables.
 *
 * Generates a 150-table schema (six columns each, plus one or two foreign keys to earlier tables, as a
 * real project's schema grows) and a 5-table one at the demo's size as the baseline, lays out each
 * BENCH_ROUNDS times in alternation after a warm-up, and prints the median of each and the ratio.
 * Also times a focused layout (one table, 2 hops) at 150 tables, what the focus URL costs. The
 * last line is one JSON object for scripts.
 *
 *   BENCH_ROUNDS (7)  BENCH_TABLES (150)
 */
import type { SchemaModel, SchemaObject } from '../lib/engine';
import { layoutSchemaDiagram } from '../lib/server/schema-diagram';
import { median, round } from './stats';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const largeSize = Number(process.env.BENCH_TABLES ?? 150);

function generatedSchema(tables: number): SchemaModel {
  const objects: SchemaObject[] = [];
  for (let i = 0; i < tables; i++) {
    const name = `table_${i}`;
    objects.push({ objectType: 'table', schema: 'public', table: null, name, definition: {} });
    objects.push({ objectType: 'primary-key', schema: 'public', table: name, name: `${name}_pkey`, definition: { columns: ['id'] } });
    for (const [column, type] of [
      ['id', 'integer'],
      ['name', 'text'],
      ['created_at', 'timestamp with time zone'],
      ['updated_at', 'timestamp with time zone'],
      ['status', 'varchar(32)'],
      ['payload', 'jsonb'],
    ])
      objects.push({ objectType: 'column', schema: 'public', table: name, name: column!, definition: { type: type! } });
    // Deterministic, spread-out references (a multiplicative hash, not a hub every table points
    // at): most tables point at one or two earlier ones.
    const earlier = (salt: number) => Math.imul(i + salt, 2654435761) >>> 0;
    const targets = i === 0 ? [] : [...new Set([earlier(0) % i, ...(i % 3 === 0 ? [earlier(17) % i] : [])])];
    for (const target of targets) {
      const column = `table_${target}_id`;
      objects.push({ objectType: 'column', schema: 'public', table: name, name: column, definition: { type: 'integer' } });
      objects.push({
        objectType: 'foreign-key',
        schema: 'public',
        table: name,
        name: `${name}_${column}_fk`,
        definition: {
          columns: [column],
          references: { schema: 'public', table: `table_${target}`, columns: ['id'] },
          onUpdate: 'no action',
          onDelete: 'cascade',
        },
      });
    }
  }
  return { dialect: 'postgresql', objects };
}

async function timeLayout(model: SchemaModel, focus?: Parameters<typeof layoutSchemaDiagram>[3]) {
  // Collect the previous layout's garbage first (--expose-gc, see package.json): otherwise a
  // 5-table layout pays for the 150-table one run before it and the baseline triples.
  (globalThis as { gc?: () => void }).gc?.();
  const started = performance.now();
  const diagram = await layoutSchemaDiagram(model, model, [], focus);
  return { ms: performance.now() - started, diagram };
}

const demo = generatedSchema(5);
const large = generatedSchema(largeSize);
const focus = { table: `table_${Math.floor(largeSize / 2)}`, hops: 2 as const };
await timeLayout(demo);
await timeLayout(large);
const times = { demo: [] as number[], large: [] as number[], focused: [] as number[] };
let size = { width: 0, height: 0, focusedTables: 0 };
for (let i = 0; i < rounds; i++) {
  times.demo.push((await timeLayout(demo)).ms);
  const whole = await timeLayout(large);
  times.large.push(whole.ms);
  const focused = await timeLayout(large, focus);
  times.focused.push(focused.ms);
  size = { width: whole.diagram.width, height: whole.diagram.height, focusedTables: focused.diagram.tables.length };
}
const result = {
  rounds,
  demoTables: 5,
  largeTables: largeSize,
  demoMedianMs: round(median(times.demo)),
  largeMedianMs: round(median(times.large)),
  ratio: round(median(times.large) / median(times.demo)),
  focusedMedianMs: round(median(times.focused)),
  focusedTables: size.focusedTables,
  largeWidth: size.width,
  largeHeight: size.height,
};
console.log(`layout of ${result.demoTables} tables (demo size): median ${result.demoMedianMs} ms over ${rounds} runs`);
console.log(`layout of ${result.largeTables} tables: median ${result.largeMedianMs} ms (${result.ratio}× the demo), picture ${size.width} × ${size.height} px`);
console.log(`focused layout (${focus.table}, ${focus.hops} hops: ${size.focusedTables} tables) at ${largeSize} tables: median ${result.focusedMedianMs} ms`);
console.log(JSON.stringify(result));
