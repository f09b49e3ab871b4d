'use client';

import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/field';
import { Label } from '@/components/ui/label';
import type { BrowseColumn, BrowseFilter, FilterOp } from '@/lib/engine/browse/types';

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
export function ColumnFilter({
  column,
  masked,
  filters,
  onApply,
}: {
  column: BrowseColumn;
  masked: boolean;
  filters: BrowseFilter[];
  onApply: (filters: BrowseFilter[]) => void;
}) {
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
          <Label size="xs" htmlFor={`${id}-gte`}>
            From (≥)
            <Input
              id={`${id}-gte`}
              value={draft.gte}
              onChange={(e) => set({ gte: e.target.value })}
              placeholder={placeholder}
              inputMode={column.kind === 'number' ? 'decimal' : undefined}
              size="xs"
            />
          </Label>
          <Label size="xs" htmlFor={`${id}-lte`}>
            To (≤)
            <Input
              id={`${id}-lte`}
              value={draft.lte}
              onChange={(e) => set({ lte: e.target.value })}
              placeholder={placeholder}
              inputMode={column.kind === 'number' ? 'decimal' : undefined}
              size="xs"
            />
          </Label>
        </div>
      )}
      {masked && <p className="text-xs text-slate-600">Masked for your role: only whether it is empty can be filtered.</p>}
      {flag && (
        <Label size="xs" htmlFor={`${id}-flag`}>
          Value
          <Select id={`${id}-flag`} value={draft.flag} onChange={(e) => set({ flag: e.target.value as Draft['flag'] })} size="xs">
            <option value="">any</option>
            <option value="is-true">true</option>
            <option value="is-false">false</option>
          </Select>
        </Label>
      )}
      {choice && (
        <Label size="xs" htmlFor={`${id}-enum`}>
          Equals
          <Select id={`${id}-enum`} value={draft.value} onChange={(e) => set({ op: 'equals', value: e.target.value })} size="xs">
            <option value="">any</option>
            {column.enumValues!.map((label) => (
              <option key={label} value={label}>
                {label}
              </option>
            ))}
          </Select>
        </Label>
      )}
      {text && (
        <div className="space-y-1">
          <Label size="xs" htmlFor={`${id}-op`}>
            Match
            <Select id={`${id}-op`} value={draft.op} onChange={(e) => set({ op: e.target.value as Draft['op'] })} size="xs">
              <option value="contains">contains</option>
              <option value="equals">equals</option>
            </Select>
          </Label>
          <Label size="xs" htmlFor={`${id}-value`}>
            {draft.op === 'contains' ? 'Text' : 'Value'}
            <Input id={`${id}-value`} value={draft.value} onChange={(e) => set({ value: e.target.value })} autoComplete="off" spellCheck={false} size="xs" />
          </Label>
        </div>
      )}
      {(column.nullable || masked) && (
        <Label size="xs" htmlFor={`${id}-null`}>
          Empty
          <Select id={`${id}-null`} value={draft.nullness} onChange={(e) => set({ nullness: e.target.value as Draft['nullness'] })} size="xs">
            <option value="">any</option>
            <option value="is-null">is null</option>
            <option value="not-null">is not null</option>
          </Select>
        </Label>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="ghost" size="sm" className="font-normal" onClick={() => onApply([])}>
          Clear
        </Button>
        <Button type="submit" variant="primary" size="sm">
          Apply
        </Button>
      </div>
    </form>
  );
}
