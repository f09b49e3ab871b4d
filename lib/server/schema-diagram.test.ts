import { describe, expect, it } from 'vitest';
import type { SchemaModel } from '@/lib/engine';
import { compareSchemas } from '@/lib/engine';
import { layoutSchemaDiagram } from './schema-diagram';

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
