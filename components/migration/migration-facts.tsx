import type { ReactNode } from 'react';
import { Card } from '@/components/ui/card';
import type { MigrationUnderReview } from '@/lib/server/migration-review';
import { formatDateTime } from '@/lib/format';

/** The journal entry and the file as drizzle sees them. */
export function MigrationFacts({ review }: { review: MigrationUnderReview }) {
  const { migration, journalLength } = review;
  return (
    <Card aria-labelledby="facts-heading">
      <h2 id="facts-heading" className="text-base font-semibold">
        Journal entry and file
      </h2>
      <dl className="mt-3 grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm" data-testid="migration-facts">
        <Fact label="Tag">
          <code className="font-mono">{migration.tag}</code>
        </Fact>
        <Fact label="Journal idx">{migration.idx}</Fact>
        <Fact label="Position">
          {migration.position + 1} of {journalLength} <span className="text-slate-500">(drizzle runs entries in this order)</span>
        </Fact>
        <Fact label="When">
          <time dateTime={new Date(migration.when).toISOString()}>{formatDateTime(migration.when)}</time>{' '}
          <span className="text-slate-500 tabular-nums">({migration.when})</span>
        </Fact>
        <Fact label="Entry version">{migration.version || '—'}</Fact>
        <Fact label="Breakpoints">{migration.breakpoints ? 'yes' : 'no'}</Fact>
        <Fact label="File">
          <code className="font-mono break-all">{review.file}</code>
        </Fact>
        <Fact label="SHA-256">
          {migration.hash ? (
            <code className="font-mono text-xs break-all" data-testid="migration-sha256">
              {migration.hash}
            </code>
          ) : (
            <span className="text-red-700">none: the file is missing</span>
          )}
        </Fact>
      </dl>
    </Card>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 text-slate-900">{children}</dd>
    </>
  );
}
