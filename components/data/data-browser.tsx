'use client';

import { useState } from 'react';
import { DataPagination } from '@/components/data/data-pagination';
import { DataTable } from '@/components/data/data-table';
import { DataToolbar } from '@/components/data/data-toolbar';
import { JsonViewer, type JsonValue } from '@/components/data/json-viewer';
import { RowDetailPanel } from '@/components/data/row-detail-panel';
import { useBrowseNavigation } from '@/components/data/use-browse-navigation';
import { useBrowseTable } from '@/components/data/use-browse-table';
import { Alert } from '@/components/ui/alert';
import type { TablePageView } from '@/lib/server/browse';

/**
 * One table's rows as the URL asks for them: toolbar, table, pages, the detail panel of the row
 * in `?row=`, and the JSON viewer. Every change is a navigation; the server does the querying.
 */
export function DataBrowser({ view }: { view: TablePageView }) {
  const nav = useBrowseNavigation(view.base, view.query);
  const [json, setJson] = useState<JsonValue | null>(null);
  const openJson = (column: string, value: unknown) => setJson({ label: `${view.table.name}.${column}`, value });
  const table = useBrowseTable({
    columns: view.table.columns,
    rows: view.rows,
    primaryKey: view.table.primaryKey,
    masked: view.masked,
    labels: view.labels,
    nav,
    onOpenJson: openJson,
  });
  const keyed = view.table.primaryKey.length > 0;
  const selectedId = view.query.row.length > 0 ? view.query.row.join('\u0000') : null;

  const openRow = (rowId: string) => {
    if (!keyed) return;
    const { original } = table.getRow(rowId);
    nav.go({ row: view.table.primaryKey.map((key) => String(original[key])) });
  };

  return (
    <>
      <DataToolbar nav={nav} table={table} exportHref={view.exportHref} />
      {view.error && (
        <Alert tone="warning" className="mb-3" data-testid="data-error">
          {view.error}
        </Alert>
      )}
      <DataTable table={table} tableName={view.table.name} selectedId={selectedId} onOpenRow={openRow} busy={nav.pending} />
      {!keyed && <p className="mt-2 text-xs text-slate-500">{view.table.name} has no primary key: its rows cannot be opened one by one.</p>}
      <DataPagination nav={nav} mode={view.mode} rowCount={view.rows.length} hasMore={view.hasMore} nextCursor={view.nextCursor} />
      <RowDetailPanel detail={view.detail} onClose={() => nav.go({ row: [] })} onOpenJson={openJson} />
      <JsonViewer shown={json} onClose={() => setJson(null)} />
    </>
  );
}
