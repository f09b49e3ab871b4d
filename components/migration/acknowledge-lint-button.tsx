'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { acknowledgeMigrationLint } from '@/app/actions/migrations';
import { useHydrated } from './use-hydrated';
import { Alert } from '@/components/ui/alert';

/** A lead's acknowledgement of the blocking findings; recorded for this file version and environment. */
export function AcknowledgeLintButton({ project, environment, tag }: { project: string; environment: string; tag: string }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function acknowledge() {
    setError(null);
    startTransition(async () => {
      const result = await acknowledgeMigrationLint({ project, environment, tag });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      router.refresh();
    });
  }

  return (
    <div className="space-y-2">
      <button
        type="button"
        onClick={acknowledge}
        disabled={!hydrated || pending}
        className="rounded-md bg-slate-900 px-3 py-2 text-sm font-medium text-white hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 disabled:opacity-60"
      >
        {pending ? 'Saving…' : 'Acknowledge findings'}
      </button>
      {error && (
        <Alert role="alert" data-testid="acknowledge-error">
          {error}
        </Alert>
      )}
    </div>
  );
}
