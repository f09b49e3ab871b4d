import type { Dialect } from '../../lib/engine';
import { writeMigrations, type FixtureMigration } from './databases';

const BP = '\n--> statement-breakpoint\n';

/** Five small migrations with down files, per dialect: enough to exercise every state. */
export function fiveMigrations(dialect: Dialect): FixtureMigration[] {
  const pg = dialect === 'postgresql';
  return [
    {
      tag: '0000_authors',
      sql: [`CREATE TABLE "authors" ("id" ${pg ? 'serial' : 'integer'} PRIMARY KEY NOT NULL, "name" text NOT NULL);`].join(BP),
      down: 'DROP TABLE "authors";',
    },
    {
      tag: '0001_books',
      sql: [
        `CREATE TABLE "books" ("id" ${pg ? 'serial' : 'integer'} PRIMARY KEY NOT NULL, "author_id" integer NOT NULL REFERENCES "authors"("id"), "title" text NOT NULL);`,
        'CREATE INDEX "books_author_idx" ON "books" ("author_id");',
      ].join(BP),
      down: ['DROP INDEX "books_author_idx";', 'DROP TABLE "books";'].join(BP),
    },
    {
      tag: '0002_books_year',
      sql: 'ALTER TABLE "books" ADD COLUMN "year" integer;',
      down: 'ALTER TABLE "books" DROP COLUMN "year";',
    },
    {
      tag: '0003_reviews',
      sql: [
        `CREATE TABLE "reviews" ("id" ${pg ? 'serial' : 'integer'} PRIMARY KEY NOT NULL, "book_id" integer NOT NULL REFERENCES "books"("id"), "stars" integer NOT NULL);`,
        'CREATE INDEX "reviews_book_idx" ON "reviews" ("book_id");',
      ].join(BP),
      down: ['DROP INDEX "reviews_book_idx";', 'DROP TABLE "reviews";'].join(BP),
    },
    {
      tag: '0004_authors_country',
      sql: 'ALTER TABLE "authors" ADD COLUMN "country" text;',
      down: 'ALTER TABLE "authors" DROP COLUMN "country";',
    },
  ];
}

export function journalDialect(dialect: Dialect): string {
  return dialect === 'postgresql' ? 'postgresql' : 'sqlite';
}

export function writeFive(dialect: Dialect, edit?: (migrations: FixtureMigration[]) => FixtureMigration[]): string {
  const migrations = fiveMigrations(dialect);
  return writeMigrations(journalDialect(dialect), edit ? edit(migrations) : migrations);
}
