'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition, type FormEvent } from 'react';
import { decideMigration } from '@/app/actions/migrations';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { RejectReasonField } from './reject-reason-field';
import { useHydrated } from './use-hydrated';

interface Props {
  project: string;
  environment: string;
  tag: string;
  /** The SHA-256 of the file version this page shows: the server refuses the decision if the file changed since. */
  sha256: string;
  /** The signed-in person's decision on the current file version, if any. */
  ownDecision: 'approved' | 'rejected' | null;
  /** What is decided on: the migration's file (default), or the down SQL drafted for it. */
  subject?: 'up' | 'drafted-down';
}

/** Approve, or reject with a reason. The server checks the role again and binds the decision to the hash of the version shown. */
export function ApprovalForm({ project, environment, tag, sha256, ownDecision, subject = 'up' }: Props) {
  const router = useRouter();
  const commentId = useId();
  const hydrated = useHydrated();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [comment, setComment] = useState('');

  function decide(decision: 'approved' | 'rejected', reviewed: string) {
    setError(null);
    startTransition(async () => {
      const result = await decideMigration({ project, environment, tag, sha256: reviewed, subject, decision, ...(decision === 'rejected' ? { comment } : {}) });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setComment('');
      router.refresh();
    });
  }

  /** The hash travels in the form's hidden field, as the page rendered it. */
  const reviewedHash = (form: HTMLFormElement) => String(new FormData(form).get('sha256'));

  function reject(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    decide('rejected', reviewedHash(event.currentTarget));
  }

  function approve(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    decide('approved', reviewedHash(event.currentTarget));
  }

  return (
    <div className="space-y-4 border-t border-slate-200 pt-4" data-testid={subject === 'up' ? 'approval-form' : 'draft-approval-form'}>
      {ownDecision && (
        <p className="text-sm text-slate-600">
          You {ownDecision} this version. {ownDecision === 'approved' ? 'Rejecting replaces your approval.' : 'Approving replaces your rejection.'}
        </p>
      )}
      <form onSubmit={approve}>
        <input type="hidden" name="sha256" value={sha256} data-testid="approval-sha256" />
        <Button type="submit" variant="success" size="lg" disabled={!hydrated || pending || ownDecision === 'approved'}>
          {pending ? 'Saving…' : `Approve for ${environment}`}
        </Button>
      </form>
      <form onSubmit={reject} className="space-y-2">
        <input type="hidden" name="sha256" value={sha256} />
        <RejectReasonField id={commentId} value={comment} onChange={setComment} disabled={!hydrated} />
        <Button type="submit" variant="danger-outline" size="lg" disabled={!hydrated || pending || comment.trim() === ''}>
          Reject
        </Button>
      </form>
      {error && (
        <Alert role="alert" data-testid="approval-error">
          {error}
        </Alert>
      )}
    </div>
  );
}
