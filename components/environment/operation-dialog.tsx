'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useId, useState, useTransition, type ReactNode } from 'react';

export type StartResult = { ok: true } | { ok: false; error: string };

export interface OperationDialogProps {
  title: string;
  description: string;
  triggerLabel: string;
  triggerTestId: string;
  /** Why the trigger is disabled (nothing to run), or null. */
  unavailable: string | null;
  confirmLabel: string;
  /** Protected environments: the name that must be typed before confirming. */
  confirmName: string | null;
  /** Why confirming is not possible with the current choices, or null. */
  blocked: string | null;
  tone?: 'default' | 'danger';
  /** Starts the operation; the dialog closes on success and shows the error otherwise. */
  onConfirm: (confirm: string | undefined) => Promise<StartResult>;
  children: ReactNode;
}

const BUTTON = 'rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50';

/**
 * The confirmation every operation goes through: what will run (children), the environment's
 * name typed on protected environments, and the server's refusal shown in place.
 */
export function OperationDialog(props: OperationDialogProps) {
  const { confirmName, blocked } = props;
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const confirmId = useId();
  const confirmed = confirmName === null || typed === confirmName;

  const openChange = (next: boolean) => {
    setOpen(next);
    setTyped('');
    setError(null);
  };
  const submit = () =>
    startTransition(async () => {
      setError(null);
      const result = await props.onConfirm(confirmName === null ? undefined : typed);
      if (result.ok) setOpen(false);
      else setError(result.error);
    });

  return (
    <Dialog.Root open={open} onOpenChange={openChange}>
      <Dialog.Trigger asChild>
        <button type="button" disabled={props.unavailable !== null} title={props.unavailable ?? undefined} data-testid={props.triggerTestId} className={`${BUTTON} border border-slate-300 bg-white text-slate-800 shadow-sm hover:bg-slate-50`}>
          {props.triggerLabel}
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 flex max-h-[90vh] w-[min(48rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 flex-col rounded-lg bg-white shadow-xl focus:outline-none" data-testid="operation-dialog">
          <div className="border-b border-slate-200 px-5 py-4">
            <Dialog.Title className="text-lg font-semibold">{props.title}</Dialog.Title>
            <Dialog.Description className="mt-1 text-sm text-slate-600">{props.description}</Dialog.Description>
          </div>
          <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-5 py-4">{props.children}</div>
          <form
            className="space-y-3 border-t border-slate-200 px-5 py-4"
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            {confirmName !== null && (
              <label htmlFor={confirmId} className="block text-sm">
                <span className="font-medium text-slate-800">
                  Type <span className="font-mono">{confirmName}</span> to confirm
                </span>
                <input id={confirmId} value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" spellCheck={false} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm shadow-sm focus:border-sky-500 focus:ring-2 focus:ring-sky-200 focus:outline-none" />
              </label>
            )}
            {blocked && <p className="text-sm text-amber-800">{blocked}</p>}
            {error && (
              <p className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="operation-error">
                {error}
              </p>
            )}
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <button type="button" className={`${BUTTON} text-slate-700 hover:bg-slate-100`}>
                  Cancel
                </button>
              </Dialog.Close>
              <button type="submit" disabled={!confirmed || blocked !== null || pending} data-testid="operation-confirm" className={`${BUTTON} text-white ${props.tone === 'danger' ? 'bg-red-700 hover:bg-red-800' : 'bg-slate-900 hover:bg-slate-800'}`}>
                {pending ? 'Starting…' : props.confirmLabel}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
