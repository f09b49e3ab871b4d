'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { z } from 'zod';
import type { GuardResult } from '@/lib/auth/guard';
import { describeIssues } from '@/lib/server/admin-schemas';

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

  /**
   * The submitted form's fields checked against `schema` before the round trip (the server checks
   * the same schema again): the data, or null once the error says what is wrong.
   */
  function parsedFields<S extends z.ZodType>(schema: S, event: React.FormEvent<HTMLFormElement>): z.infer<S> | null {
    event.preventDefault();
    const parsed = schema.safeParse(Object.fromEntries(new FormData(event.currentTarget)));
    if (parsed.success) return parsed.data;
    setError(`Invalid input — ${describeIssues(parsed.error)}`);
    return null;
  }

  return { submit, parsedFields, error, setError, pending };
}
