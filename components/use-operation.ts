'use client';

import { useEffect, useState } from 'react';
import type { OperationView } from '@/lib/server/operation-view';

export function isFinished(status: OperationView['status']): boolean {
  return status === 'succeeded' || status === 'failed';
}

type Reply = { ok: true; data: OperationView } | { ok: false; error: string };

/**
 * Follows one operation by polling the API's `GET /api/v1/operations/<id>` (with the session
 * cookie) until it has finished. The server runs it whatever the browser does: polling only
 * watches. Mount it with `key={id}`.
 */
export function useOperation(id: string, initial: OperationView | null, intervalMs = 300): { view: OperationView | null; problem: string | null } {
  const [view, setView] = useState<OperationView | null>(initial);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const response = await fetch(`/api/v1/operations/${encodeURIComponent(id)}`, { cache: 'no-store' });
        const reply = (await response.json()) as Reply;
        if (stopped) return;
        if (reply.ok) {
          setProblem(null);
          setView(reply.data);
          if (isFinished(reply.data.status)) return;
        } else {
          setProblem(reply.error);
          // Signed out, not allowed, no such operation: asking again will not change the answer.
          if (response.status < 500) return;
        }
      } catch {
        if (stopped) return;
        setProblem('Lost contact with the console; the operation goes on on the server. Retrying…');
      }
      timer = setTimeout(poll, intervalMs);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, intervalMs]);

  return { view, problem };
}
