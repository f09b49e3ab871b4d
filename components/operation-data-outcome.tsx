import type { ResetResult } from '@/lib/engine/reset-types';
import { formatMs } from '@/lib/format';
import type { OperationView } from '@/lib/server/operation-view';

/** The `result` a seed records (lib/runtime/operation-runner.ts). */
export interface SeedResult {
  inserted: Record<string, number>;
}

/** What a finished seed, copy or reset did: tables emptied or dropped, migrations re-applied, rows seeded. */
export function DataOperationOutcome({ view }: { view: OperationView }) {
  if (view.status !== 'succeeded' || !view.result) return null;
  if (view.kind === 'seed') {
    const { inserted } = view.result as SeedResult;
    return <SeededRows rows={inserted} title="Rows inserted" />;
  }
  if (view.kind === 'copy') {
    const { copied, masked } = view.result as { copied: Record<string, number>; masked: boolean };
    return <SeededRows rows={copied} title={masked ? 'Rows copied, personal data masked' : 'Rows copied, not masked'} />;
  }
  const result = view.result as ResetResult;
  return (
    <div className="space-y-3 text-sm" data-testid="reset-outcome">
      <p className="text-slate-700">
        {result.mode === 'full' ? 'Full reset' : 'Data reset'} in {formatMs(result.durationMs)}:{' '}
        {result.mode === 'full'
          ? `${result.cleared.length} objects dropped, ${result.reapplied.length} migrations re-applied`
          : `${result.cleared.length} tables emptied`}
        {result.seed === null ? ', left empty (no seed).' : ', then re-seeded.'}
      </p>
      {result.reapplied.length > 0 && (
        <details>
          <summary className="cursor-pointer text-slate-700">Migrations re-applied</summary>
          <ol className="mt-1 list-decimal pl-6 font-mono text-xs text-slate-700">
            {result.reapplied.map((tag) => (
              <li key={tag}>{tag}</li>
            ))}
          </ol>
        </details>
      )}
      <SeededRows rows={result.seeded} title="Rows seeded" />
    </div>
  );
}

function SeededRows({ rows, title }: { rows: Record<string, number>; title: string }) {
  const entries = Object.entries(rows ?? {});
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return (
    <div>
      <h3 className="mb-1 text-sm font-medium text-slate-700">
        {title}: <span className="tabular-nums">{total}</span>
      </h3>
      {entries.length > 0 && (
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="seeded-rows">
          {entries.map(([table, n]) => (
            <li key={table}>
              <span className="font-mono text-[13px]">{table}</span> <span className="text-slate-600 tabular-nums">{n}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
