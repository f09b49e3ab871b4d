'use client';

import { useId, useState, useTransition, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogActions,
  DialogBody,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/field';

/** What starting an operation answers: the queued operation's id, or why the server refused. */
export type StartResult = { ok: true; data: { operationId: string } } | { ok: false; error: string };

export interface OperationDialogProps {
  title: string;
  description: string;
  triggerLabel: string;
  triggerTestId: string;
  /** Why the trigger is disabled (nothing to run); null or absent: enabled. */
  unavailable?: string | null;
  confirmLabel: string;
  /** Protected environments: the name that must be typed before confirming. */
  confirmName: string | null;
  /** Why confirming is not possible with the current choices; null or absent: it is. */
  blocked?: string | null;
  tone?: 'default' | 'danger';
  /** Starts the operation with the typed name (if one was asked for). */
  start: (confirm: string | undefined) => Promise<StartResult>;
  /** Called with the new operation's id; the dialog closes then, and shows the refusal otherwise. */
  onStarted: (operationId: string) => void;
  children: ReactNode;
}

/**
 * The confirmation every operation goes through: what will run (children), the environment's
 * name typed on protected environments, and the server's refusal shown in place.
 */
export function OperationDialog(props: OperationDialogProps) {
  const { confirmName, blocked = null, unavailable = null } = props;
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
      const result = await props.start(confirmName === null ? undefined : typed);
      if (result.ok) {
        setOpen(false);
        props.onStarted(result.data.operationId);
      } else setError(result.error);
    });

  return (
    <Dialog open={open} onOpenChange={openChange}>
      <DialogTrigger asChild>
        <Button size="lg" className="text-slate-800" disabled={unavailable !== null} title={unavailable ?? undefined} data-testid={props.triggerTestId}>
          {props.triggerLabel}
        </Button>
      </DialogTrigger>
      <DialogContent data-testid="operation-dialog">
        <DialogHeader>
          <DialogTitle className="text-lg font-semibold">{props.title}</DialogTitle>
          <DialogDescription className="mt-1 text-sm text-slate-600">{props.description}</DialogDescription>
        </DialogHeader>
        <DialogBody className="space-y-4">{props.children}</DialogBody>
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
              <Input
                id={confirmId}
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
                autoComplete="off"
                spellCheck={false}
                className="font-mono"
              />
            </label>
          )}
          {blocked && <p className="text-sm text-amber-800">{blocked}</p>}
          {error && <Alert data-testid="operation-error">{error}</Alert>}
          <DialogActions>
            <DialogClose asChild>
              <Button variant="ghost" size="lg" className="text-slate-700">
                Cancel
              </Button>
            </DialogClose>
            <Button
              type="submit"
              variant={props.tone === 'danger' ? 'danger' : 'primary'}
              size="lg"
              disabled={!confirmed || blocked !== null || pending}
              data-testid="operation-confirm"
            >
              {pending ? 'Starting…' : props.confirmLabel}
            </Button>
          </DialogActions>
        </form>
      </DialogContent>
    </Dialog>
  );
}
