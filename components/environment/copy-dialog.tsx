'use client';

import { useEffect, useState } from 'react';
import { previewCopy, startCopy } from '@/app/actions/data';
import { OperationDialog } from '@/components/environment/operation-dialog';
import type { EnvironmentRef } from '@/components/environment/environment-ref';
import { AlertBox } from '@/components/ui/alert';
import { Select } from '@/components/ui/field';
import type { CopyPreview } from '@/lib/engine/copy';
import type { CopySource } from '@/lib/policy/copy-sources';
import { confirmationName } from '@/lib/policy/confirmation';

const key = (s: CopySource) => `${s.project}/${s.environment}`;

/**
 * Copy another environment's data into this (unprotected) one. The plan — tables in the order
 * they are filled, their row counts, the columns that get stand-ins — is read from both databases
 * before anything runs; masking is on by default when the source is protected.
 */
export function CopyDialog({ target, sources, onStarted }: { target: EnvironmentRef; sources: CopySource[]; onStarted: (operationId: string) => void }) {
  const [chosen, setChosen] = useState(() => sources.find((s) => s.protected) ?? sources[0]!);
  const [mask, setMask] = useState(chosen.protected);
  const [preview, setPreview] = useState<{ for: string; result: CopyPreview | null; error: string | null } | null>(null);
  const request = { project: target.project, environment: target.environment, fromProject: chosen.project, from: chosen.environment, mask };
  const requestKey = `${key(chosen)}:${mask}`;

  useEffect(() => {
    let current = true;
    previewCopy(request).then((result) => {
      if (current) setPreview({ for: requestKey, result: result.ok ? result.data : null, error: result.ok ? null : result.error });
    });
    return () => {
      current = false;
    };
    // requestKey names every field of request: a new object each render must not re-fetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestKey]);

  const shown = preview?.for === requestKey ? preview : null;
  const where = `${target.project} / ${target.environment}`;
  const start = (typed: string | undefined) => startCopy({ ...request, confirm: typed });

  return (
    <OperationDialog
      title={`Copy data into ${where}`}
      description="The copied tables of this environment are emptied and filled with the source's rows, in one transaction. Protected environments can never be copied into."
      triggerLabel="Copy data…"
      triggerTestId="action-copy"
      confirmLabel="Copy data"
      confirmName={confirmationName('copy', target)}
      blocked={shown === null ? 'reading both databases…' : shown.error}
      tone="danger"
      start={start}
      onStarted={onStarted}
    >
      <label className="block text-sm">
        <span className="font-medium text-slate-800">From</span>
        <Select
          size="sm"
          value={key(chosen)}
          data-testid="copy-source"
          onChange={(e) => {
            const next = sources.find((s) => key(s) === e.target.value)!;
            setChosen(next);
            setMask(next.protected);
          }}
        >
          {sources.map((s) => (
            <option key={key(s)} value={key(s)}>
              {s.project} / {s.environment}
              {s.protected ? ' (protected)' : ''}
              {s.dialect === 'sqlite' ? ' — SQLite' : ''}
            </option>
          ))}
        </Select>
      </label>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" checked={mask} onChange={(e) => setMask(e.target.checked)} className="mt-0.5" data-testid="copy-mask" />
        <span>
          <span className="font-medium text-slate-900">Mask personal data</span>
          <span className="block text-slate-600">
            E-mails, phones, addresses and the configured personal columns get realistic stand-ins (the same value always the same stand-in); passwords and
            tokens are never copied.
          </span>
        </span>
      </label>
      <AlertBox tone="neutral" data-testid="copy-plan">
        {shown === null ? (
          <p>Reading both databases…</p>
        ) : shown.result ? (
          <>
            <p className="font-medium text-slate-800">
              {shown.result.rows.toLocaleString('en')} rows in {shown.result.tables.length} tables, filled in this order:
            </p>
            <ol className="mt-1 list-decimal space-y-0.5 pl-5">
              {shown.result.tables.map((t) => (
                <li key={t.table} data-testid="copy-plan-table">
                  <span className="font-mono text-[13px]">{t.table}</span>{' '}
                  <span className="tabular-nums text-slate-600">{t.rows.toLocaleString('en')} rows</span>
                  {t.masked.length > 0 && <span className="text-slate-600"> · stand-ins for {t.masked.join(', ')}</span>}
                </li>
              ))}
            </ol>
          </>
        ) : (
          <p className="text-red-800">{shown.error}</p>
        )}
      </AlertBox>
    </OperationDialog>
  );
}
