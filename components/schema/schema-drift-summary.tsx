import Link from 'next/link';
import type { SchemaDriftView } from '@/lib/server/schema-drift';

/** The environment page's schema drift finding, apart from the bookkeeping drift above it. */
/** `href`: the Schema tab, linked from elsewhere (the tab itself passes none). */
export function SchemaDriftSummary({ schema, href }: { schema: SchemaDriftView; href?: string }) {
  if (!schema.ok) {
    return (
      <section
        className="mb-8 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
        data-testid="schema-drift-summary"
        data-state="unchecked"
      >
        <h2 className="font-semibold">Schema drift could not be checked</h2>
        <p className="mt-1 font-mono text-xs break-words">{schema.error}</p>
      </section>
    );
  }
  const n = schema.differences.length;
  if (n === 0) {
    return (
      <section
        className="mb-8 rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900"
        data-testid="schema-drift-summary"
        data-state="clean"
      >
        <h2 className="font-semibold">No schema drift</h2>
        <p className="mt-1">
          The live schema is exactly what its {schema.applied} applied {schema.applied === 1 ? 'migration produces' : 'migrations produce'}.{' '}
          {href && (
            <Link href={href} className="underline underline-offset-2">
              Schema
            </Link>
          )}
        </p>
      </section>
    );
  }
  const count = (kind: string) => schema.differences.filter((d) => d.kind === kind).length;
  return (
    <section className="mb-8 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900" data-testid="schema-drift-summary" data-state="drift">
      <h2 className="font-semibold">
        Schema drift: {n} {n === 1 ? 'difference' : 'differences'} from what the applied migrations produce
      </h2>
      <p className="mt-1">
        {count('missing')} missing, {count('changed')} changed, {count('extra')} extra (made by hand, by no migration).{' '}
        {href && (
          <Link href={href} className="font-medium underline underline-offset-2">
            See them in the Schema tab
          </Link>
        )}
      </p>
    </section>
  );
}
