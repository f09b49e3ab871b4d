'use client';

import { useId, useState, type FormEvent } from 'react';
import type { BrowseColumn, BrowseFilter, FilterOp } from '@/lib/engine/browse/types';

const FIELD = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm shadow-sm focus:border-sky-500 focus:ring-2 focus:ring-sky-200 focus:outline-none';
const LABEL = 'block text-xs font-medium text-slate-600';

interface Draft {
  op: 'contains' | 'equals';
  value: string;
  gte: string;
  lte: string;
  flag: '' | 'is-true' | 'is-false';
  nullness: '' | 'is-null' | 'not-null';
}

function draftOf(filters: BrowseFilter[]): Draft {
  const find = (...ops: FilterOp[]) => filters.find((f) => ops.includes(f.op));
  const text = find('contains', 'equals');
  return {
    op: text?.op === 'equals' ? 'equals' : 'contains',
    value: text?.value ?? '',
    gte: find('gte')?.value ?? '',
    lte: find('lte')?.value ?? '',
    flag: (find('is-true', 'is-false')?.op as Draft['flag'] | undefined) ?? '',
    nullness: (find('is-null', 'not-null')?.op as Draft['nullness'] | undefined) ?? '',
  };
}

function filtersOf(column: BrowseColumn, draft: Draft, masked: boolean): BrowseFilter[] {
  const name = column.name;
  const out: BrowseFilter[] = [];
  if (draft.nullness) out.push({ column: name, op: draft.nullness });
  if (draft.nullness === 'is-null' || masked) return out;
  if (column.kind === 'number' || column.kind === 'date') {
    if (draft.gte.trim()) out.push({ column: name, op: 'gte', value: draft.gte.trim() });
    if (draft.lte.trim()) out.push({ column: name, op: 'lte', value: draft.lte.trim() });
  } else if (column.kind === 'boolean') {
    if (draft.flag) out.push({ column: name, op: draft.flag });
  } else if (draft.value !== '') {
    out.push({ column: name, op: column.enumValues ? 'equals' : draft.op, value: draft.value });
  }
  return out;
}

/**
 * The filter form of one column, by its kind: text contains / equals; number and date ranges;
 * true / false; and, for nullable columns, is null / is not null. Applying edits the URL.
 */
export function ColumnFilter({ column, masked, filters, onApply }: { column: BrowseColumn; masked: boolean; filters: BrowseFilter[]; onApply: (filters: BrowseFilter[]) => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  const id = useId();
  const set = (change: Partial<Draft>) => setDraft((was) => ({ ...was, ...change }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(filtersOf(column, draft, masked));
  };
  // A masked column can only be tested for NULL: its values are not yours to search.
  const range = !masked && (column.kind === 'number' || column.kind === 'date');
  const flag = !masked && column.kind === 'boolean';
  const choice = !masked && column.enumValues !== undefined;
  const text = !masked && !range && !flag && !choice;
  const placeholder = column.kind === 'date' ? 'YYYY-MM-DD' : undefined;

  return (
    <form onSubmit={submit} className="w-60 space-y-3" aria-label={`Filter ${column.name}`}>
      <p className="font-mono text-xs text-slate-500">
        {column.name} · {column.dataType}
      </p>
      {range && (
        <div className="grid grid-cols-2 gap-2">
          <label className={LABEL} htmlFor={`${id}-gte`}>
            From (≥)
            <input id={`${id}-gte`} value={draft.gte} onChange={(e) => set({ gte: e.target.value })} placeholder={placeholder} inputMode={column.kind === 'number' ? 'decimal' : undefined} className={FIELD} />
          </label>
          <label className={LABEL} htmlFor={`${id}-lte`}>
            To (≤)
            <input id={`${id}-lte`} value={draft.lte} onChange={(e) => set({ lte: e.target.value })} placeholder={placeholder} inputMode={column.kind === 'number' ? 'decimal' : undefined} className={FIELD} />
          </label>
        </div>
      )}
      {masked && <p className="text-xs text-slate-600">Masked for your role: only whether it is empty can be filtered.</p>}
      {flag && (
        <label className={LABEL} htmlFor={`${id}-flag`}>
          Value
          <select id={`${id}-flag`} value={draft.flag} onChange={(e) => set({ flag: e.target.value as Draft['flag'] })} className={FIELD}>
            <option value="">any</option>
            <option value="is-true">true</option>
            <option value="is-false">false</option>
          </select>
        </label>
      )}
      {choice && (
        <label className={LABEL} htmlFor={`${id}-enum`}>
          Equals
          <select id={`${id}-enum`} value={draft.value} onChange={(e) => set({ op: 'equals', value: e.target.value })} className={FIELD}>
            <option value="">any</option>
            {column.enumValues!.map((label) => (
              <option key={label} value={label}>
                {label}
              </option>
            ))}
          </select>
        </label>
      )}
      {text && (
        <div className="space-y-1">
          <label className={LABEL} htmlFor={`${id}-op`}>
            Match
            <select id={`${id}-op`} value={draft.op} onChange={(e) => set({ op: e.target.value as Draft['op'] })} className={FIELD}>
              <option value="contains">contains</option>
              <option value="equals">equals</option>
            </select>
          </label>
          <label className={LABEL} htmlFor={`${id}-value`}>
            {draft.op === 'contains' ? 'Text' : 'Value'}
            <input id={`${id}-value`} value={draft.value} onChange={(e) => set({ value: e.target.value })} autoComplete="off" spellCheck={false} className={FIELD} />
          </label>
        </div>
      )}
      {(column.nullable || masked) && (
        <label className={LABEL} htmlFor={`${id}-null`}>
          Empty
          <select id={`${id}-null`} value={draft.nullness} onChange={(e) => set({ nullness: e.target.value as Draft['nullness'] })} className={FIELD}>
            <option value="">any</option>
            <option value="is-null">is null</option>
            <option value="not-null">is not null</option>
          </select>
        </label>
      )}
      <div className="flex justify-end gap-2">
        <button type="button" onClick={() => onApply([])} className="rounded-md px-2.5 py-1 text-sm text-slate-600 hover:bg-slate-100">
          Clear
        </button>
        <button type="submit" className="rounded-md bg-slate-900 px-2.5 py-1 text-sm font-medium text-white hover:bg-slate-800">
          Apply
        </button>
      </div>
    </form>
  );
}
