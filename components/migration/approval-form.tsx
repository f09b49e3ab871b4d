'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition, type FormEvent } from 'react';
import { useHydrated } from './use-hydrated';
import { decideMigration } from '@/app/actions/migrations';
import { Alert } from '@/components/ui/alert';

interface Props {
  project: string;
  environment: string;
  tag: string;
  /** The signed-in person's decision on the current file version, if any. */
  ownDecision: 'approved' | 'rejected' | null;
}

/** Approve, or reject with a reason. The server checks the role again and binds the decision to the file's hash. */
export function ApprovalForm({ project, environment, tag, ownDecision }: Props) {
  const router = useRouter();
  const commentId = useId();
  const hydrated = useHydrated();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [comment, setComment] = useState('');

  function decide(decision: 'approved' | 'rejected') {
    setError(null);
    startTransition(async () => {
      const result = await decideMigration({ project, environment, tag, decision, ...(decision === 'rejected' ? { comment } : {}) });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setComment('');
      router.refresh();
    });
  }

  function reject(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    decide('rejected');
  }

  return (
    <div className="space-y-4 border-t border-slate-200 pt-4" data-testid="approval-form">
      {ownDecision && (
        <p className="text-sm text-slate-600">
          You {ownDecision} this version. {ownDecision === 'approved' ? 'Rejecting replaces your approval.' : 'Approving replaces your rejection.'}
        </p>
      )}
      <button
        type="button"
        onClick={() => decide('approved')}
        disabled={!hydrated || pending || ownDecision === 'approved'}
        className="rounded-md bg-emerald-700 px-3 py-2 text-sm font-medium text-white hover:bg-emerald-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700 disabled:cursor-not-allowed disabled:opacity-50"
      >
        {pending ? 'Saving…' : `Approve for ${environment}`}
      </button>
      <form onSubmit={reject} className="space-y-2">
        <label htmlFor={commentId} className="block text-sm font-medium text-slate-700">
          Reason for rejecting
        </label>
        <textarea
          id={commentId}
          name="comment"
          required
          maxLength={2000}
          rows={2}
          disabled={!hydrated}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-sky-500 focus:ring-2 focus:ring-sky-200 focus:outline-none"
        />
        <button
          type="submit"
          disabled={!hydrated || pending || comment.trim() === ''}
          className="rounded-md border border-red-300 bg-white px-3 py-2 text-sm font-medium text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:cursor-not-allowed disabled:opacity-50"
        >
          Reject
        </button>
      </form>
      {error && (
        <Alert role="alert" data-testid="approval-error">
          {error}
        </Alert>
      )}
    </div>
  );
}
