import Link from 'next/link';
import type { DifferenceKind } from '@/lib/engine';

const WHAT: Record<DifferenceKind, string> = { extra: 'extra: in the database, from no migration', missing: 'missing from the database', changed: 'changed' };

/**
 * The drifted tables, listed before the picture: in a 150-table picture they are usually
 * off-screen. Each links to the whole picture centred on it, or to it with its neighbours.
 */
export function DriftedTables({ tables, schemaPath }: { tables: { id: string; status: DifferenceKind }[]; schemaPath: string }) {
  if (tables.length === 0) return null;
  return (
    <div className="mb-3 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm" data-testid="drifted-tables">
      <p className="mb-1 font-medium text-amber-900">Drifted tables ({tables.length}), first so they aren&apos;t lost in the picture:</p>
      <ul className="flex flex-wrap gap-x-5 gap-y-1">
        {tables.map((table) => (
          <li key={table.id} data-testid={`drifted-table-${table.id}`}>
            <span className="font-mono">{table.id}</span> <span className="text-slate-600">({WHAT[table.status]})</span>{' '}
            <Link href={`${schemaPath}?centre=${encodeURIComponent(table.id)}#diagram-heading`} className="text-sky-800 underline underline-offset-2">
              show in the picture
            </Link>{' '}
            ·{' '}
            <Link href={`${schemaPath}?focus=${encodeURIComponent(table.id)}&hops=1#diagram-heading`} className="text-sky-800 underline underline-offset-2">
              with its neighbours
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
