'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';

export interface JsonValue {
  /** `table.column`, for the title. */
  label: string;
  value: unknown;
}

/** A JSON cell's value, pretty-printed in a dialog, with a copy button. */
export function JsonViewer({ shown, onClose }: { shown: JsonValue | null; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const text = shown ? JSON.stringify(shown.value, null, 2) : '';

  const copy = async () => {
    await navigator.clipboard.writeText(text).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  return (
    <Dialog
      open={shown !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <DialogContent className="max-h-[85vh] w-[min(42rem,calc(100vw-2rem))]" data-testid="json-viewer">
        <DialogHeader className="flex items-center gap-3 py-3">
          <DialogTitle className="font-mono text-sm font-semibold">{shown?.label}</DialogTitle>
          <DialogDescription className="sr-only">The value of this JSON cell, pretty-printed.</DialogDescription>
          <Button variant="ghost" size="xs" className="ml-auto font-normal" onClick={copy}>
            {copied ? 'Copied' : 'Copy'}
          </Button>
          <DialogClose asChild>
            <Button variant="ghost" size="xs" className="font-normal">
              Close
            </Button>
          </DialogClose>
        </DialogHeader>
        <pre className="min-h-0 flex-1 overflow-auto px-5 py-4 font-mono text-xs leading-relaxed text-slate-800" data-testid="json-viewer-content">
          {text}
        </pre>
      </DialogContent>
    </Dialog>
  );
}
