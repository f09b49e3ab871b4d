import { Alert } from '@/components/ui/alert';
import type { MigrationUnderReview } from '@/lib/server/migration-review';

/** What is unusual about the file itself: missing, or not runnable inside a transaction. */
export function MigrationNotices({ review }: { review: MigrationUnderReview }) {
  const { migration } = review;
  if (migration.sql === null) {
    return (
      <Alert className="mb-6 px-4 py-3" data-testid="missing-file">
        <strong className="font-semibold">The file is missing.</strong> <code className="font-mono">{review.file}</code> is listed in meta/_journal.json but
        does not exist; drizzle&apos;s migrator stops at it. Restore the file, or remove the entry if it was never applied anywhere.
      </Alert>
    );
  }
  if (migration.nonTransactional) {
    return (
      <p className="mb-6 rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-900" data-testid="non-transactional">
        <strong className="font-semibold">Runs outside a transaction</strong> ({migration.nonTransactional}): dbdeck applies this migration alone, statement by
        statement. If one fails, the statements before it stay applied, and a dry run cannot execute it.
      </p>
    );
  }
  return null;
}
