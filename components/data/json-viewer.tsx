'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useState } from 'react';

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
    <Dialog.Root
      open={shown !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 flex max-h-[85vh] w-[min(42rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 flex-col rounded-lg bg-white shadow-xl focus:outline-none" data-testid="json-viewer">
          <div className="flex items-center gap-3 border-b border-slate-200 px-5 py-3">
            <Dialog.Title className="font-mono text-sm font-semibold">{shown?.label}</Dialog.Title>
            <Dialog.Description className="sr-only">The value of this JSON cell, pretty-printed.</Dialog.Description>
            <button type="button" onClick={copy} className="ml-auto rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100">
              {copied ? 'Copied' : 'Copy'}
            </button>
            <Dialog.Close className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100">Close</Dialog.Close>
          </div>
          <pre className="min-h-0 flex-1 overflow-auto px-5 py-4 font-mono text-xs leading-relaxed text-slate-800" data-testid="json-viewer-content">
            {text}
          </pre>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
