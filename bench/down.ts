/**
 * npm run bench:down — drafting the down SQL of every migration of a 300-migration corpus, beside
 * generating the same migrations' up SQL with drizzle-kit's API, in the same run.
 *
 * The corpus is drizzle-kit's own output (tests/support/kit-corpus.ts: tables, columns with
 * defaults, indexes, foreign keys, enums and their values on PostgreSQL, SQLite table recreations,
 * dropped tables), PostgreSQL and SQLite. Each round drafts every migration's down SQL as
 * `dbdeck down` does (both snapshots read from disk, the rename questions asked first, drizzle-kit's
 * diff backwards, every statement linted and marked) and, as the baseline, generates every
 * migration's up SQL from the same two snapshots with drizzle-kit's `generateMigration` (already
 * in memory: what drizzle-kit itself does once it has them). Prints per dialect the medians over
 * the rounds of the total and of the per-migration times, and the ratio draft / up; and, to show
 * where a draft's time goes, drizzle-kit's diff backwards alone. The last line is one JSON object
 * for scripts.
 *
 *   BENCH_ROUNDS (5)  BENCH_MIGRATIONS (300)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateMigration, generateSQLiteMigration } from 'drizzle-kit/api';
import { draftDown, readJournal, type Dialect } from '../lib/engine';
import { writeKitCorpus } from '../tests/support/kit-corpus';
import { median, round } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MIGRATIONS = Number(process.env.BENCH_MIGRATIONS ?? 300);
const work = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-bench-down-'));

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function bench(dialect: Dialect) {
  const corpus = await writeKitCorpus(path.join(work, dialect), dialect, MIGRATIONS);
  const set = readJournal(corpus.folder);
  const up = dialect === 'postgresql' ? generateMigration : generateSQLiteMigration;
  const draftTotals: number[] = [];
  const upTotals: number[] = [];
  const backTotals: number[] = [];
  const draftEach: number[] = [];
  const upEach: number[] = [];
  let complete = 0;
  let statements = 0;
  // One warm-up pass of each: drizzle-kit's module and the linter's WASM load once per process.
  await draftDown(set, set.migrations[1]!.tag);
  await up(corpus.migrations[1]!.before as never, corpus.migrations[1]!.after as never);
  for (let round = 0; round < ROUNDS; round++) {
    let draftTotal = 0;
    let upTotal = 0;
    let backTotal = 0;
    for (const [i, migration] of set.migrations.entries()) {
      const { before, after } = corpus.migrations[i]!;
      const drafting = async () => {
        const draft = await draftDown(set, migration.tag);
        if (round === 0) {
          complete += draft.complete ? 1 : 0;
          statements += draft.statements.length;
        }
      };
      // Alternate which goes first, so neither always runs right after the other warmed a cache.
      let draftMs: number;
      let upMs: number;
      if ((round + i) % 2 === 0) {
        draftMs = await timed(drafting);
        upMs = await timed(() => up(before as never, after as never));
      } else {
        upMs = await timed(() => up(before as never, after as never));
        draftMs = await timed(drafting);
      }
      // drizzle-kit's diff alone, backwards (what the draft adds to it: snapshot reads, rename questions, lint).
      backTotal += await timed(() => up(after as never, before as never));
      draftTotal += draftMs;
      upTotal += upMs;
      draftEach.push(draftMs);
      upEach.push(upMs);
    }
    draftTotals.push(draftTotal);
    upTotals.push(upTotal);
    backTotals.push(backTotal);
  }
  const draftMs = round(median(draftTotals), 0);
  const upMs = round(median(upTotals), 0);
  return {
    dialect,
    migrations: set.migrations.length,
    complete,
    statements,
    draftTotalMs: draftMs,
    upTotalMs: upMs,
    backwardDiffTotalMs: round(median(backTotals), 0),
    draftPerMigrationMs: round(median(draftEach)),
    upPerMigrationMs: round(median(upEach)),
    ratio: round(median(draftTotals) / median(upTotals)),
  };
}

try {
  const results = [await bench('postgresql'), await bench('sqlite')];
  console.log(`drafted down SQL vs drizzle-kit's up SQL, ${MIGRATIONS} migrations, medians of ${ROUNDS} rounds`);
  for (const r of results) {
    console.log(
      `${r.dialect.padEnd(10)} drafts ${r.draftTotalMs} ms total, ${r.draftPerMigrationMs} ms per migration (${r.complete}/${r.migrations} complete, ${r.statements} statements)   up SQL ${r.upTotalMs} ms total, ${r.upPerMigrationMs} ms per migration   draft/up ${r.ratio}×   (drizzle-kit's diff backwards alone: ${r.backwardDiffTotalMs} ms total)`,
    );
  }
  console.log(JSON.stringify({ bench: 'down', migrations: MIGRATIONS, rounds: ROUNDS, results }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(process.exitCode ?? 0);
