import { Badge } from '@/components/ui/badge';
import { MigrationLeadCells, MigrationNotes } from '@/components/environment/migration-cells';
import { MigrationSection } from '@/components/environment/migration-section';
import { MigrationStateBadge } from '@/components/migration-state-badge';
import { TableCell, TableRowHeader } from '@/components/ui/table';
import { formatDateTime } from '@/lib/format';
import type { EnvironmentView, MigrationRowView } from '@/lib/server/environment-view';

const LEAD_COLUMNS = [{ label: 'Migration' }, { label: 'State' }, { label: 'Generated' }];

/** Pending migrations in the order the next migrate runs them, with what stands in their way. */
export function PendingMigrations({ view }: { view: EnvironmentView }) {
  const showLint = view.environment.protected;
  const columns = [...LEAD_COLUMNS, { label: 'Approvals' }, ...(showLint ? [{ label: 'Lint' }] : []), { label: 'Notes' }];
  return (
    <MigrationSection
      id="migrations-pending"
      title="Pending"
      count={view.pending.length}
      description="The next migrate runs these, in this order."
      columns={columns}
      empty="Nothing pending: this environment is up to date."
    >
      {view.pending.map((m) => (
        <tr key={m.tag} data-testid={`migration-row-${m.tag}`} className="align-top">
          <MigrationLeadCells project={view.project.name} environment={view.environment.name} migration={m} />
          <TableCell>
            <ApprovalCell approval={m.approval} />
          </TableCell>
          {showLint && <TableCell>{m.lint && <LintCell lint={m.lint} />}</TableCell>}
          <TableCell>
            <MigrationNotes migration={m} usesDownFiles={view.usesDownFiles} />
          </TableCell>
        </tr>
      ))}
    </MigrationSection>
  );
}

/** Applied migrations, oldest first, with who applied them when dbdeck did. */
export function AppliedMigrations({ view }: { view: EnvironmentView }) {
  const columns = [...LEAD_COLUMNS, { label: 'Applied by' }, { label: 'Notes' }];
  return (
    <MigrationSection id="migrations-applied" title="Applied" count={view.applied.length} columns={columns} empty="No migration is applied yet.">
      {view.applied.map((m) => (
        <tr key={m.tag} data-testid={`migration-row-${m.tag}`} className="align-top">
          <MigrationLeadCells project={view.project.name} environment={view.environment.name} migration={m} />
          <TableCell className="text-slate-700" data-testid={`migration-applied-by-${m.tag}`}>
            {m.appliedBy ? (
              <>
                <div>{m.appliedBy.actor}</div>
                <time dateTime={m.appliedBy.at} className="text-xs text-slate-500 tabular-nums">
                  {formatDateTime(m.appliedBy.at)}
                </time>
              </>
            ) : (
              <span title="Applied outside dbdeck (drizzle's bookkeeping does not record who or when)">—</span>
            )}
          </TableCell>
          <TableCell>
            <MigrationNotes migration={m} usesDownFiles={view.usesDownFiles} />
          </TableCell>
        </tr>
      ))}
    </MigrationSection>
  );
}

/**
 * Entries and rows that drizzle's table and the journal disagree on. The count is the drift
 * findings', the overview's number too (environmentOverview's driftCount); unlisted files are not
 * drift (nothing runs them) and are listed apart.
 */
export function DriftMigrations({ view }: { view: EnvironmentView }) {
  const count = view.drift.length;
  if (count === 0) return null;
  const columns = [{ label: 'Migration, row or file' }, { label: 'State' }, { label: 'Details' }];
  return (
    <MigrationSection
      id="migrations-drift"
      title="Drift"
      count={count}
      description="Modified, skipped and missing migrations, and bookkeeping rows without a migration: migrate is blocked until they are resolved."
      columns={columns}
      empty=""
    >
      {view.drifted.map((m: MigrationRowView) => (
        <tr key={m.tag} data-testid={`migration-row-${m.tag}`} className="align-top">
          <TableRowHeader className="font-mono text-[13px]">{m.tag}</TableRowHeader>
          <TableCell>
            <MigrationStateBadge state={m.state} testId={`migration-state-${m.tag}`} />
          </TableCell>
          <TableCell className="text-slate-700">{view.drift.find((d) => d.tag === m.tag)?.message}</TableCell>
        </tr>
      ))}
      {view.orphans.map((row) => (
        <tr key={`orphan-${row.id}`} className="align-top">
          <TableRowHeader>
            Row {row.id} <span className="font-normal text-slate-500">(created_at {row.createdAt})</span>
          </TableRowHeader>
          <TableCell>
            <MigrationStateBadge state="orphan" />
          </TableCell>
          <TableCell className="text-slate-700">
            {row.hashMatchesTag
              ? `Its hash is that of ${row.hashMatchesTag}: that entry's "when" was changed after it was applied.`
              : 'Matches no journal entry: applied from another branch, or its entry was removed.'}
          </TableCell>
        </tr>
      ))}
    </MigrationSection>
  );
}

/** `.sql` files in the folder that the journal does not list: drizzle never runs them (not drift: nothing is blocked). */
export function UnlistedFiles({ view }: { view: EnvironmentView }) {
  if (view.unlisted.length === 0) return null;
  return (
    <MigrationSection
      id="migrations-unlisted"
      title="Unlisted files"
      count={view.unlisted.length}
      description="Files the journal does not list."
      columns={[{ label: 'File' }, { label: 'State' }, { label: 'Details' }]}
      empty=""
    >
      {view.unlisted.map((file) => (
        <tr key={`unlisted-${file}`} className="align-top">
          <TableRowHeader className="font-mono text-[13px]">{file}</TableRowHeader>
          <TableCell>
            <MigrationStateBadge state="unlisted" />
          </TableCell>
          <TableCell className="text-slate-700">
            The journal does not list it: drizzle never applies it. Generate migrations with drizzle-kit, or delete the file.
          </TableCell>
        </tr>
      ))}
    </MigrationSection>
  );
}

function ApprovalCell({ approval }: { approval: MigrationRowView['approval'] }) {
  if (!approval) return <span className="text-slate-500">—</span>;
  if (approval.rejectedBy.length > 0) return <Badge tone="red">rejected by {approval.rejectedBy.join(', ')}</Badge>;
  if (approval.required === 0) return <span className="text-slate-500">none required</span>;
  const { approvers, required, missing } = approval;
  return (
    <div className="space-y-1">
      <div className="tabular-nums text-slate-700">
        {approvers.length} of {required} {required === 1 ? 'approval' : 'approvals'}
      </div>
      {approvers.length > 0 && <div className="text-xs text-slate-500">{approvers.join(', ')}</div>}
      {missing > 0 ? <Badge tone="amber">missing {missing}</Badge> : <Badge tone="green">approved</Badge>}
    </div>
  );
}

function LintCell({ lint }: { lint: NonNullable<MigrationRowView['lint']> }) {
  if (lint.blocking === 0) return <span className="text-slate-500">no blocking findings</span>;
  return (
    <Badge tone={lint.acknowledged ? 'slate' : 'red'}>
      {lint.blocking} blocking {lint.blocking === 1 ? 'finding' : 'findings'}
      {lint.acknowledged ? ' (acknowledged)' : ''}
    </Badge>
  );
}
