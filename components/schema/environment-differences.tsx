import { Badge } from '@/components/ui/badge';
import { DifferenceDetail, differenceName } from '@/components/schema/schema-differences';
import { TableColumnHeaders } from '@/components/ui/table';
import type { EnvironmentDifference } from '@/lib/engine';

/**
 * Two environments' schema differences, drift first: at a real project's scale a few drifted
 * objects hide among hundreds that migrations applied on one side only explain.
 */
export function EnvironmentDifferences({ differences, env, against }: { differences: EnvironmentDifference[]; env: string; against: string }) {
  const drift = differences.filter((d) => !d.explained);
  const explained = differences.filter((d) => d.explained);
  const groups = [
    { id: 'drift', rows: drift, title: `Drift: ${count(drift.length)} no migration explains` },
    { id: 'explained', rows: explained, title: `Explained: ${count(explained.length)} from migrations applied in one only` },
  ].filter((group) => group.rows.length > 0);
  return (
    <>
      <p className="mb-2 text-sm text-slate-700" data-testid="diff-counts">
        {count(drift.length)} of drift, {count(explained.length)} explained by migrations{drift.length > 0 ? ' (drift listed first)' : ''}.
      </p>
      <table className="mb-8 w-full table-fixed text-sm" data-testid="diff-table">
        <TableColumnHeaders
          className="border-b border-slate-200 bg-transparent"
          cellClassName="px-3 py-2 font-semibold"
          columns={[
            { label: 'Object', className: 'w-[24%]' },
            { label: 'Where', className: 'w-[18%]' },
            { label: `${against} → ${env}`, key: 'difference' },
            { label: 'Explained by', className: 'w-[18%]' },
          ]}
        />
        {groups.map((group) => (
          <tbody key={group.id} className="divide-y divide-slate-100" data-testid={`diff-group-${group.id}`}>
            <tr>
              <th colSpan={4} scope="colgroup" className="bg-slate-50 px-3 py-1.5 text-left text-xs font-semibold text-slate-600">
                {group.title}
              </th>
            </tr>
            {group.rows.map((d) => (
              <DifferenceRow key={`${d.kind}-${d.objectType}-${differenceName(d)}`} difference={d} env={env} against={against} />
            ))}
          </tbody>
        ))}
      </table>
    </>
  );
}

const count = (n: number) => `${n} ${n === 1 ? 'difference' : 'differences'}`;

function DifferenceRow({ difference: d, env, against }: { difference: EnvironmentDifference; env: string; against: string }) {
  return (
    <tr className="align-top" data-testid={`diff-row-${d.objectType}-${differenceName(d)}`}>
      <td className="px-3 py-2">
        <div className="text-xs text-slate-500">{d.objectType}</div>
        <div className="font-mono break-words text-slate-900">{differenceName(d)}</div>
      </td>
      <td className="px-3 py-2">
        <Badge tone={d.kind === 'changed' ? 'violet' : 'amber'}>
          {d.kind === 'extra' ? `only in ${env}` : d.kind === 'missing' ? `only in ${against}` : 'in both, different'}
        </Badge>
      </td>
      <td className="px-3 py-2">
        <DifferenceDetail difference={d} before={against} after={env} />
      </td>
      <td className="px-3 py-2">
        {d.explained ? <span className="text-slate-700">migrations applied in one only</span> : <Badge tone="red">no migration: drift</Badge>}
      </td>
    </tr>
  );
}
