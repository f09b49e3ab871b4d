import type { DriftFinding } from '@/lib/engine';

const KIND_LABELS: Record<DriftFinding['kind'], string> = {
  modified: 'Modified',
  skipped: 'Skipped',
  'missing-file': 'Missing file',
  orphan: 'Orphan row',
  'upgrade-needed': 'Bookkeeping upgrade',
};

/** The drift messages of an environment: each names the file and says what to do. */
export function DriftFindings({ findings }: { findings: DriftFinding[] }) {
  if (findings.length === 0) return null;
  return (
    <section aria-labelledby="drift-findings-heading" className="mb-8 rounded-lg border border-red-200 bg-red-50 px-4 py-3" data-testid="drift-findings">
      <h2 id="drift-findings-heading" className="text-sm font-semibold text-red-900">
        Drift blocks migrate and rollback here ({findings.length} {findings.length === 1 ? 'finding' : 'findings'})
      </h2>
      <ul className="mt-2 space-y-1.5 text-sm text-red-900">
        {findings.map((finding, i) => (
          <li key={`${finding.kind}-${finding.tag ?? i}`}>
            <span className="font-medium">{KIND_LABELS[finding.kind]}:</span> {finding.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
