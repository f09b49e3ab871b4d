'use client';

import { DataCell } from '@/components/data/data-cell';
import { Button } from '@/components/ui/button';
import { Dialog, DialogBody, DialogClose, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { TextLink } from '@/components/ui/text-link';
import type { RowDetailView } from '@/lib/server/browse';

/**
 * One row in full, in a side panel, with the foreign keys followed both ways: the rows it points
 * to (an order → its customer) and the rows pointing to it (a customer → their orders).
 */
export function RowDetailPanel({
  detail,
  onClose,
  onOpenJson,
}: {
  detail: RowDetailView | null;
  onClose: () => void;
  onOpenJson: (column: string, value: unknown) => void;
}) {
  return (
    <Dialog
      open={detail !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <DialogContent side="right" overlayClassName="bg-slate-900/20" data-testid="row-detail">
        {detail && <DetailBody detail={detail} onOpenJson={onOpenJson} />}
      </DialogContent>
    </Dialog>
  );
}

function DetailBody({ detail, onOpenJson }: { detail: RowDetailView; onOpenJson: (column: string, value: unknown) => void }) {
  const { row } = detail;
  return (
    <>
      <DialogHeader className="flex items-start gap-3">
        <div className="min-w-0">
          <DialogTitle className="font-semibold">
            <span className="font-mono">{detail.table}</span> row
          </DialogTitle>
          <DialogDescription className="mt-0.5 font-mono text-xs break-all text-slate-500">{detail.key.join(', ')}</DialogDescription>
        </div>
        <DialogClose asChild>
          <Button variant="ghost" size="xs" className="ml-auto font-normal">
            Close
          </Button>
        </DialogClose>
      </DialogHeader>
      <DialogBody className="space-y-6">
        {row === null ? (
          <p className="text-sm text-amber-800" data-testid="row-missing">
            No row of {detail.table} has this key any more: it may have been deleted or the data reset.
          </p>
        ) : (
          <dl className="divide-y divide-slate-100 text-sm" data-testid="row-fields">
            {detail.columns.map((column) => (
              <div key={column.name} className="grid grid-cols-[10rem_1fr] gap-3 py-1.5" data-testid={`field-${column.name}`}>
                <dt className="truncate font-mono text-xs text-slate-500" title={`${column.name} · ${column.dataType}`}>
                  {column.name}
                </dt>
                <dd className="min-w-0 break-words text-slate-900">
                  <DataCell column={column} value={row[column.name]} masked={detail.masked.includes(column.name)} onOpenJson={onOpenJson} />
                </dd>
              </div>
            ))}
          </dl>
        )}
        {detail.references.length > 0 && (
          <section aria-label="Points to">
            <h3 className="mb-1.5 text-xs font-medium tracking-wide text-slate-500 uppercase">Points to</h3>
            <ul className="space-y-1 text-sm" data-testid="row-references">
              {detail.references.map((link) => (
                <li key={`${link.table}:${link.columns.join(',')}`}>
                  {link.href ? (
                    <TextLink href={link.href} data-testid={`reference-${link.table}`}>
                      {link.table} {link.label ? <LabelText label={link.label} /> : link.values.join(', ')}
                    </TextLink>
                  ) : (
                    <span className="text-slate-500">{link.table}: no row to open (the key is empty, masked, or points nowhere)</span>
                  )}
                  <span className="ml-1 font-mono text-xs text-slate-400">via {link.columns.join(', ')}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        {detail.referencedBy.length > 0 && (
          <section aria-label="Pointed to by">
            <h3 className="mb-1.5 text-xs font-medium tracking-wide text-slate-500 uppercase">Pointed to by</h3>
            <ul className="space-y-1 text-sm" data-testid="row-referenced-by">
              {detail.referencedBy.map((link) => (
                <li key={`${link.table}:${link.columns.join(',')}`}>
                  {link.href ? (
                    <TextLink href={link.href} data-testid={`referenced-by-${link.table}`}>
                      {link.count} {link.table}
                    </TextLink>
                  ) : (
                    <span title="this row's key is masked for your role">
                      {link.count} {link.table}
                    </span>
                  )}
                  <span className="ml-1 font-mono text-xs text-slate-400">via {link.columns.join(', ')}</span>
                  {link.sample.length > 0 && (
                    <ul className="mt-1 ml-4 space-y-0.5" data-testid={`referrers-${link.table}`}>
                      {link.sample.map((referrer, i) => (
                        <li key={referrer.href ?? i} className="truncate">
                          {referrer.href ? (
                            <TextLink href={referrer.href}>
                              <LabelText label={referrer} />
                            </TextLink>
                          ) : (
                            <LabelText label={referrer} />
                          )}
                        </li>
                      ))}
                      {link.sample.length < Number.parseInt(link.count, 10) && <li className="text-xs text-slate-500">…</li>}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
      </DialogBody>
    </>
  );
}

/** A row's label, or MASK with a hint when its column is masked for this viewer. */
function LabelText({ label }: { label: { text: string; masked: boolean } }) {
  return label.masked ? (
    <span title="label masked for your role" className="text-slate-400" data-testid="masked-label">
      {label.text}
    </span>
  ) : (
    <span data-testid="row-label">{label.text}</span>
  );
}
