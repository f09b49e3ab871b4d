'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition, type FormEvent } from 'react';
import { decideMigrationSet } from '@/app/actions/migrations';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/field';
import { Label } from '@/components/ui/label';
import { RejectReasonField } from '@/components/migration/reject-reason-field';
import { useHydrated } from '@/components/migration/use-hydrated';

interface Props {
  project: string;
  environment: string;
  /** Each file's hash as the page rendered it, in journal order: the server refuses the whole decision if any changed since. */
  migrations: { tag: string; sha256: string }[];
}

/** One decision on the whole pending set, or on its beginning through a chosen migration. */
export function SetDecisionForm({ project, environment, migrations }: Props) {
  const router = useRouter();
  const throughId = useId();
  const commentId = useId();
  const hydrated = useHydrated();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [through, setThrough] = useState('');
  const [comment, setComment] = useState('');
  const count = through === '' ? migrations.length : migrations.findIndex((m) => m.tag === through) + 1;

  function decide(decision: 'approved' | 'rejected', form: HTMLFormElement) {
    setError(null);
    setDone(null);
    // The hashes travel in the form's hidden field, as the page rendered them.
    const reviewed = JSON.parse(String(new FormData(form).get('migrations'))) as Props['migrations'];
    startTransition(async () => {
      const result = await decideMigrationSet({
        project,
        environment,
        migrations: reviewed,
        ...(through ? { through } : {}),
        decision,
        ...(decision === 'rejected' ? { comment } : {}),
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setDone(`${decision === 'approved' ? 'Approved' : 'Rejected'} ${result.data.decided.length} migration(s) for ${environment}.`);
      setComment('');
      router.refresh();
    });
  }

  const submit = (decision: 'approved' | 'rejected') => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    decide(decision, event.currentTarget);
  };

  const hidden = <input type="hidden" name="migrations" value={JSON.stringify(migrations)} data-testid="set-hashes" />;
  return (
    <div className="space-y-4" data-testid="set-decision-form">
      <div>
        <Label htmlFor={throughId}>Decide on</Label>
        <Select id={throughId} value={through} onChange={(event) => setThrough(event.target.value)} disabled={!hydrated}>
          <option value="">all {migrations.length} pending</option>
          {migrations.map((m) => (
            <option key={m.tag} value={m.tag}>
              through {m.tag}
            </option>
          ))}
        </Select>
      </div>
      <form onSubmit={submit('approved')}>
        {hidden}
        <Button type="submit" variant="success" size="lg" disabled={!hydrated || pending}>
          {pending ? 'Saving…' : `Approve ${count} for ${environment}`}
        </Button>
      </form>
      <form onSubmit={submit('rejected')} className="space-y-2">
        {hidden}
        <RejectReasonField id={commentId} value={comment} onChange={setComment} disabled={!hydrated} />
        <Button type="submit" variant="danger-outline" size="lg" disabled={!hydrated || pending || comment.trim() === ''}>
          Reject {count}
        </Button>
      </form>
      {done && (
        <p role="status" className="text-sm text-emerald-800" data-testid="set-decision-done">
          {done}
        </p>
      )}
      {error && (
        <Alert role="alert" data-testid="set-decision-error">
          {error}
        </Alert>
      )}
    </div>
  );
}
