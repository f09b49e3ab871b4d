'use client';

import { Popover } from '@/components/data/popover';
import type { BrowseTable } from '@/components/data/use-browse-table';
import { Button, buttonVariants } from '@/components/ui/button';

/** Which columns show: a checkbox per column, kept in the URL (`hide=`) like everything else. */
export function ColumnVisibilityMenu({ table }: { table: BrowseTable }) {
  const columns = table.getAllLeafColumns();
  const hidden = columns.filter((column) => !column.getIsVisible()).length;
  return (
    <Popover
      label="Columns"
      testId="columns-menu"
      align="right"
      triggerClassName={buttonVariants()}
      trigger={
        <>
          Columns
          {hidden > 0 && (
            <span className="ml-1 text-slate-500">
              ({columns.length - hidden}/{columns.length})
            </span>
          )}
        </>
      }
    >
      {() => (
        <fieldset>
          <legend className="mb-2 text-xs font-medium tracking-wide text-slate-500 uppercase">Show columns</legend>
          <ul className="max-h-72 space-y-1 overflow-y-auto">
            {columns.map((column) => (
              <li key={column.id}>
                <label className="flex cursor-pointer items-center gap-2 font-mono text-xs">
                  <input
                    type="checkbox"
                    checked={column.getIsVisible()}
                    disabled={column.getIsVisible() && columns.length - hidden === 1}
                    onChange={(event) => column.toggleVisibility(event.target.checked)}
                  />
                  {column.id}
                </label>
              </li>
            ))}
          </ul>
          {hidden > 0 && (
            <Button variant="link" size="none" onClick={() => table.toggleAllColumnsVisible(true)} className="mt-2 text-xs">
              Show all
            </Button>
          )}
        </fieldset>
      )}
    </Popover>
  );
}
