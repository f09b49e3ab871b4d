import { Badge } from '@/components/ui/badge';
import { TableColumnHeaders } from '@/components/ui/table';
import type { DefinitionValue, SchemaDifference } from '@/lib/engine';

const TONE = { extra: 'amber', missing: 'red', changed: 'violet' } as const;

const show = (value: DefinitionValue | undefined) =>
  value === undefined || value === null ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value);

export const differenceName = (d: Pick<SchemaDifference, 'schema' | 'table' | 'name'>) =>
  [d.schema, d.table, d.name].filter((part) => part !== null && part !== '').join('.');

/** What differs, property by property: `before` is what the migrations (or the other side) say. */
export function DifferenceDetail({ difference, before, after }: { difference: SchemaDifference; before: string; after: string }) {
  if (difference.parts) return <p className="mt-1 max-w-3xl text-xs break-words text-slate-600">with {difference.parts.join(', ')}</p>;
  if (difference.kind !== 'changed') {
    const definition = difference.expected ?? difference.actual ?? {};
    const main = definition.type ?? definition.definition ?? definition.labels ?? definition.columns;
    return main === undefined ? null : <pre className="mt-1 max-w-3xl overflow-x-auto text-xs break-all whitespace-pre-wrap text-slate-600">{show(main)}</pre>;
  }
  return (
    <dl className="mt-1 grid max-w-4xl grid-cols-[max-content_1fr_1fr] gap-x-4 gap-y-1 text-xs">
      <dt className="font-medium text-slate-500" />
      <dd className="font-medium text-slate-500">{before}</dd>
      <dd className="font-medium text-slate-500">{after}</dd>
      {difference.properties.map((property) => (
        <div key={property} className="contents">
          <dt className="font-medium text-slate-700">{property}</dt>
          <dd className="font-mono break-words whitespace-pre-wrap text-slate-700">{show(difference.expected?.[property])}</dd>
          <dd className="font-mono break-words whitespace-pre-wrap text-slate-900">{show(difference.actual?.[property])}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Every schema difference of an environment: what kind of object, where, and how it differs. */
export function SchemaDifferences({ differences }: { differences: SchemaDifference[] }) {
  return (
    <table className="w-full table-fixed text-sm" data-testid="schema-differences">
      <TableColumnHeaders
        className="border-b border-slate-200 bg-transparent"
        cellClassName="px-3 py-2 font-semibold"
        columns={[{ label: 'Kind', className: 'w-[12%]' }, { label: 'Object', className: 'w-[15%]' }, 'Name and difference']}
      />
      <tbody className="divide-y divide-slate-100">
        {differences.map((d) => (
          <tr
            key={`${d.kind}-${d.objectType}-${differenceName(d)}`}
            className="align-top"
            data-testid={`schema-difference-${d.objectType}-${differenceName(d)}`}
          >
            <td className="px-3 py-2">
              <Badge tone={TONE[d.kind]}>{d.kind}</Badge>
            </td>
            <td className="px-3 py-2 text-slate-700">{d.objectType}</td>
            <td className="px-3 py-2">
              <span className="font-mono text-slate-900">{differenceName(d)}</span>
              <DifferenceDetail difference={d} before="migrations" after="database" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
