'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { acknowledgeMigrationLint } from '@/app/actions/migrations';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useHydrated } from './use-hydrated';

/** A lead's acknowledgement of the blocking findings; recorded for the file version shown (`sha256`) and environment. */
export function AcknowledgeLintButton({
  project,
  environment,
  tag,
  sha256,
  subject = 'up',
}: {
  project: string;
  environment: string;
  tag: string;
  sha256: string;
  /** The migration's file (default), or the down SQL drafted for it. */
  subject?: 'up' | 'drafted-down';
}) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function acknowledge() {
    setError(null);
    startTransition(async () => {
      const result = await acknowledgeMigrationLint({ project, environment, tag, sha256, subject });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      router.refresh();
    });
  }

  return (
    <div className="space-y-2">
      <Button variant="primary" size="lg" onClick={acknowledge} disabled={!hydrated || pending}>
        {pending ? 'Saving…' : 'Acknowledge findings'}
      </Button>
      {error && (
        <Alert role="alert" data-testid="acknowledge-error">
          {error}
        </Alert>
      )}
    </div>
  );
}
