'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { GuardResult } from '@/lib/auth/guard';

/**
 * Calls a guarded server action from a form: keeps its error to show, and refreshes the page's
 * server data after a success.
 */
export function useGuardedAction<I, T>(run: (input: I) => Promise<GuardResult<T>>) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(input: I, onSuccess?: (data: T) => void, onFailure?: () => void) {
    startTransition(async () => {
      const result = await run(input);
      if (!result.ok) {
        setError(result.error);
        onFailure?.();
        return;
      }
      setError(null);
      onSuccess?.(result.data);
      router.refresh();
    });
  }

  return { submit, error, setError, pending };
}
