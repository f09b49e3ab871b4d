'use client';

import type { BrowseColumn } from '@/lib/engine/browse/types';

export const MASK = '•••••';

/** What the row a foreign key points at is called; `masked`: the label's column is masked for this viewer. */
export interface CellLabel {
  text: string;
  masked: boolean;
}

/** How one value reads in the table and in the detail panel: NULL, masked, JSON, text, or a foreign key by its label. */
export function DataCell({
  column,
  value,
  masked,
  label,
  onOpenJson,
}: {
  column: BrowseColumn;
  value: unknown;
  masked: boolean;
  label?: CellLabel | null;
  onOpenJson?: (column: string, value: unknown) => void;
}) {
  if (label && !masked && value !== null && value !== undefined) {
    return (
      <span className="flex max-w-96 items-baseline gap-1.5" data-testid={`label-${column.name}`}>
        {label.masked ? (
          <span title="label masked for your role" className="cursor-help text-slate-400 select-none" data-testid="masked-label">
            {label.text}
          </span>
        ) : (
          <span className="truncate font-medium text-slate-900" title={label.text.length > 40 ? label.text : undefined}>
            {label.text}
          </span>
        )}
        <span className="truncate font-mono text-xs text-slate-400" data-testid="label-key">
          {String(value)}
        </span>
      </span>
    );
  }
  if (masked && value !== null) {
    return (
      <span
        title="masked for your role"
        aria-label={`${column.name}: masked for your role`}
        className="cursor-help text-slate-400 select-none"
        data-testid="masked-value"
      >
        {MASK}
      </span>
    );
  }
  if (value === null || value === undefined) return <span className="text-xs text-slate-400 italic">NULL</span>;
  if (column.kind === 'json' || (typeof value === 'object' && value !== null)) {
    const text = JSON.stringify(value);
    return (
      <button
        type="button"
        onClick={(event) => {
          // The row behind it opens its detail panel on click: this click is for the JSON.
          event.stopPropagation();
          onOpenJson?.(column.name, value);
        }}
        title="Show the JSON"
        className="block max-w-64 truncate rounded bg-slate-50 px-1.5 py-0.5 text-left font-mono text-xs text-sky-800 ring-1 ring-slate-200 hover:bg-sky-50"
        data-testid={`json-cell-${column.name}`}
      >
        {text}
      </button>
    );
  }
  if (typeof value === 'boolean' || column.kind === 'boolean') return <span className="font-mono text-xs">{String(value)}</span>;
  const text = String(value);
  if (column.kind === 'number') return <span className="tabular-nums">{text}</span>;
  if (column.kind === 'uuid' || column.kind === 'date') return <span className="font-mono text-xs whitespace-nowrap">{text}</span>;
  return (
    <span className="block max-w-80 truncate" title={text.length > 40 ? text : undefined}>
      {text}
    </span>
  );
}
