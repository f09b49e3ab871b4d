import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import type { SchemaDriftView } from '@/lib/server/schema-drift';

/** The overview's schema drift count: differences between the live schema and its migrations. */
export function SchemaDriftCell({ href, schema }: { href: string; schema: SchemaDriftView }) {
  if (!schema.ok) {
    return (
      <span className="text-xs text-amber-800" title={schema.error}>
        not checked
      </span>
    );
  }
  const n = schema.differences.length;
  if (n === 0) {
    return (
      <Link href={href} className="text-slate-500 underline-offset-2 hover:underline">
        0
      </Link>
    );
  }
  return (
    <Link href={href} className="inline-flex flex-col items-end gap-1 underline-offset-2 hover:underline">
      <Badge tone="red">{n}</Badge>
      <span className="text-xs text-red-700">{n === 1 ? 'difference' : 'differences'}</span>
    </Link>
  );
}
