import { describe, expect, it } from 'vitest';
import type { SchemaModel } from '@/lib/engine';
import { compareSchemas } from '@/lib/engine';
import { layoutSchemaDiagram } from './schema-diagram';
import { schemaDiagramMarkup } from './schema-diagram-markup';

const table = (name: string) => ({ objectType: 'table' as const, schema: 'public', table: null, name, definition: {} });
const column = (t: string, name: string, type = 'integer') => ({ objectType: 'column' as const, schema: 'public', table: t, name, definition: { type } });
const fk = (t: string, column: string, target: string) => ({
  objectType: 'foreign-key' as const,
  schema: 'public',
  table: t,
  name: `${t}_${column}_fk`,
  definition: { columns: [column], references: { schema: 'public', table: target, columns: ['id'] }, onUpdate: 'no action', onDelete: 'cascade' },
});

describe('the schema diagram', () => {
  it('lays out every table without overlaps, draws the foreign keys, and marks what drifted', async () => {
    const expected: SchemaModel = {
      dialect: 'postgresql',
      objects: [
        table('users'),
        column('users', 'id'),
        column('users', 'email', 'text'),
        table('orders'),
        column('orders', 'id'),
        column('orders', 'user_id'),
        fk('orders', 'user_id', 'users'),
        table('audit'),
        column('audit', 'id'),
      ],
    };
    const actual: SchemaModel = {
      dialect: 'postgresql',
      objects: [
        table('users'),
        column('users', 'id'),
        column('users', 'email', 'varchar(10)'),
        column('users', 'nickname', 'text'),
        table('orders'),
        column('orders', 'id'),
        column('orders', 'user_id'),
        fk('orders', 'user_id', 'users'),
      ],
    };
    const diagram = await layoutSchemaDiagram(expected, actual, compareSchemas(expected, actual));
    expect(diagram.tables.map((t) => [t.id, t.status]).sort()).toEqual([
      ['audit', 'missing'],
      ['orders', null],
      ['users', 'changed'],
    ]);
    const users = diagram.tables.find((t) => t.id === 'users')!;
    expect(users.columns.map((c) => [c.name, c.status])).toEqual([
      ['id', null],
      ['email', 'changed'],
      ['nickname', 'extra'],
    ]);
    expect(diagram.edges).toHaveLength(1);
    expect(diagram.edges[0]!.points.length).toBeGreaterThanOrEqual(2);
    for (const a of diagram.tables) {
      expect(a.x + a.width).toBeLessThanOrEqual(diagram.width + 1);
      for (const b of diagram.tables) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
      }
    }
  });
});

describe('focusing the schema diagram on one table', () => {
  // A generated 31-table schema shaped as a binary tree: t{i} references its parent t{(i-1)/2}.
  const tree: SchemaModel = {
    dialect: 'postgresql',
    objects: Array.from({ length: 31 }, (_, i) => [
      table(`t${i}`),
      column(`t${i}`, 'id'),
      ...(i === 0 ? [] : [column(`t${i}`, 'parent_id'), fk(`t${i}`, 'parent_id', `t${Math.floor((i - 1) / 2)}`)]),
    ]).flat(),
  };
  const shown = async (table: string, hops: 1 | 2) => {
    const diagram = await layoutSchemaDiagram(tree, tree, [], { table, hops });
    return { tables: diagram.tables.map((t) => t.id).sort(), edges: diagram.edges.map((e) => e.id).sort() };
  };

  it('one hop: the table it references and the tables referencing it, with only their foreign keys', async () => {
    expect(await shown('t1', 1)).toEqual({
      tables: ['t0', 't1', 't3', 't4'],
      edges: ['t1:t1_parent_id_fk', 't3:t3_parent_id_fk', 't4:t4_parent_id_fk'],
    });
  });

  it('two hops: also their neighbours, in either direction (the sibling t2 through t0, the grandchildren)', async () => {
    expect((await shown('t1', 2)).tables).toEqual(['t0', 't1', 't10', 't2', 't3', 't4', 't7', 't8', 't9']);
    expect((await shown('t1', 2)).edges).toHaveLength(8);
  });

  it('a table nobody references and that references nothing shows alone; an unknown table shows nothing', async () => {
    const lonely: SchemaModel = { dialect: 'postgresql', objects: [...tree.objects, table('audit'), column('audit', 'id')] };
    expect((await layoutSchemaDiagram(lonely, lonely, [], { table: 'audit', hops: 2 })).tables.map((t) => t.id)).toEqual(['audit']);
    expect((await layoutSchemaDiagram(lonely, lonely, [], { table: 'nope', hops: 1 })).tables).toEqual([]);
  });

  it('draws names and types from the database as text: markup in them is escaped, never markup', async () => {
    const hostile = '<script>alert(1)</script>';
    const quote = 'say "hi" & <b>';
    const model: SchemaModel = {
      dialect: 'postgresql',
      objects: [table(hostile), column(hostile, quote, 'text'), column(hostile, 'id'), table('users'), column('users', 'id'), fk(hostile, 'id', 'users')],
    };
    const drifted: SchemaModel = { ...model, objects: model.objects.filter((o) => !(o.objectType === 'column' && o.name === 'id' && o.table === 'users')) };
    const diagram = await layoutSchemaDiagram(model, drifted, compareSchemas(model, drifted));
    const markup = schemaDiagramMarkup(diagram);

    expect(markup).not.toContain('<script>');
    expect(markup).not.toContain('<b>');
    expect(markup).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markup).toContain('data-testid="diagram-column-&lt;script&gt;alert(1)&lt;/script&gt;.say &quot;hi&quot; &amp; &lt;b&gt;"');
    // The column the database lacks is drawn as missing, the others as they are.
    expect(markup).toMatch(/data-testid="diagram-column-users\.id" data-status="missing"/);
    expect(markup).toMatch(/data-testid="diagram-table-users" data-status="changed"/);
    // Every element that opens is closed: the string is one well-formed fragment.
    const opened = [...markup.matchAll(/<(g|text|tspan|title|marker|defs)[ >]/g)].length;
    const closed = [...markup.matchAll(/<\/(g|text|tspan|title|marker|defs)>/g)].length;
    expect(closed).toBe(opened);
  });
});
