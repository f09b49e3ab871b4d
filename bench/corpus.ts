import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Dialect } from '../lib/engine';

const BP = '\n--> statement-breakpoint\n';

/** A drizzle-kit style folder of `count` migrations (three statements each) for benchmarks. */
export function writeCorpus(dir: string, dialect: Dialect, count: number): string {
  mkdirSync(path.join(dir, 'meta'), { recursive: true });
  const entries = [];
  for (let i = 0; i < count; i++) {
    const tag = `${String(i).padStart(4, '0')}_table_${i}`;
    const id = dialect === 'postgresql' ? '"id" serial PRIMARY KEY NOT NULL' : '"id" integer PRIMARY KEY AUTOINCREMENT NOT NULL';
    const sql = [
      `CREATE TABLE "t_${i}" (${id}, "name" text NOT NULL, "amount" numeric(10, 2) DEFAULT 0, "created_at" ${dialect === 'postgresql' ? 'timestamp with time zone DEFAULT now()' : 'integer'});`,
      `CREATE INDEX "t_${i}_name_idx" ON "t_${i}" ("name");`,
      `ALTER TABLE "t_${i}" ADD COLUMN "note" text;`,
    ].join(BP);
    writeFileSync(path.join(dir, `${tag}.sql`), sql);
    entries.push({ idx: i, version: '7', when: 1_700_000_000_000 + i * 1000, tag, breakpoints: true });
  }
  writeFileSync(
    path.join(dir, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: dialect === 'postgresql' ? 'postgresql' : 'sqlite', entries }, null, 2),
  );
  return dir;
}

/** The same corpus in drizzle 1.0's layout: `<YYYYMMDDHHMMSS>_table_<i>/migration.sql`, one second apart. */
export function writeFolderCorpus(dir: string, dialect: Dialect, count: number): string {
  const journal = writeCorpus(path.join(dir, '.journal'), dialect, count);
  for (let i = 0; i < count; i++) {
    const stamp = new Date(1_700_000_000_000 + i * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const folder = path.join(dir, `${stamp}_table_${i}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'migration.sql'), readFileSync(path.join(journal, `${String(i).padStart(4, '0')}_table_${i}.sql`)));
    writeFileSync(
      path.join(folder, 'snapshot.json'),
      JSON.stringify({ version: dialect === 'postgresql' ? '8' : '7', dialect: dialect === 'postgresql' ? 'postgres' : 'sqlite' }),
    );
  }
  rmSync(journal, { recursive: true, force: true });
  return dir;
}
