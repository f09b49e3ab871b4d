import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The generated drizzle-kit projects of bench:scale (./scale.ts): a table per migration, each
 * referring to the one before, so a large project has as many foreign keys as tables.
 */

export type Dialect = 'postgresql' | 'turso';
export interface ProjectSpec {
  name: string;
  dialect: Dialect;
  size: 'small' | 'large';
  migrations: number;
}

export const tableName = (i: number) => `table_${String(i).padStart(4, '0')}`;
export const tagOf = (i: number) => `${String(i).padStart(4, '0')}_${tableName(i)}`;

/** Migration i creates table i, which refers to table i-1; every 10th adds an index, every 15th an enum (PostgreSQL). */
export function migrationSql(dialect: Dialect, i: number): string {
  const name = tableName(i);
  const statements: string[] = [];
  if (dialect === 'postgresql') {
    const enumName = `status_${String(i).padStart(4, '0')}`;
    const hasEnum = i % 15 === 0;
    if (hasEnum) statements.push(`CREATE TYPE "public"."${enumName}" AS ENUM('draft', 'active', 'archived');`);
    const columns = [
      '"id" serial PRIMARY KEY NOT NULL',
      '"name" text NOT NULL',
      '"amount_cents" integer DEFAULT 0 NOT NULL',
      '"created_at" timestamp DEFAULT now() NOT NULL',
      ...(i > 0 ? [`"${tableName(i - 1)}_id" integer`] : []),
      ...(hasEnum ? [`"status" "${enumName}" DEFAULT 'draft' NOT NULL`] : []),
    ];
    statements.push(`CREATE TABLE "${name}" (\n\t${columns.join(',\n\t')}\n);`);
    if (i > 0)
      statements.push(
        `ALTER TABLE "${name}" ADD CONSTRAINT "${name}_${tableName(i - 1)}_id_fk" FOREIGN KEY ("${tableName(i - 1)}_id") REFERENCES "public"."${tableName(i - 1)}"("id") ON DELETE no action ON UPDATE no action;`,
      );
    if (i % 10 === 0) statements.push(`CREATE INDEX "${name}_created_at_idx" ON "${name}" USING btree ("created_at");`);
  } else {
    const columns = [
      '`id` integer PRIMARY KEY NOT NULL',
      '`name` text NOT NULL',
      '`amount_cents` integer DEFAULT 0 NOT NULL',
      '`created_at` integer NOT NULL',
      ...(i > 0 ? [`\`${tableName(i - 1)}_id\` integer`] : []),
      ...(i > 0 ? [`FOREIGN KEY (\`${tableName(i - 1)}_id\`) REFERENCES \`${tableName(i - 1)}\`(\`id\`) ON UPDATE no action ON DELETE no action`] : []),
    ];
    statements.push(`CREATE TABLE \`${name}\` (\n\t${columns.join(',\n\t')}\n);`);
    if (i % 10 === 0) statements.push(`CREATE INDEX \`${name}_created_at_idx\` ON \`${name}\` (\`created_at\`);`);
  }
  return statements.join('\n--> statement-breakpoint\n');
}

/** A drizzle-kit 0.x output folder, as `drizzle-kit generate` leaves it (journal and SQL). */
export function writeMigrations(folder: string, spec: ProjectSpec): void {
  mkdirSync(path.join(folder, 'meta'), { recursive: true });
  const base = 1_700_000_000_000;
  const entries = Array.from({ length: spec.migrations }, (_, i) => ({ idx: i, version: '7', when: base + i * 60_000, tag: tagOf(i), breakpoints: true }));
  writeFileSync(
    path.join(folder, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: spec.dialect === 'postgresql' ? 'postgresql' : 'turso', entries }, null, 2),
  );
  for (let i = 0; i < spec.migrations; i++) writeFileSync(path.join(folder, `${tagOf(i)}.sql`), migrationSql(spec.dialect, i));
}
