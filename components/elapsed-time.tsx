'use client';

import { useEffect, useState } from 'react';
import { formatElapsed } from '@/lib/format';

/** Time since `since`, ticking until `until` is known (then fixed at the final duration). */
export function ElapsedTime({ since, until, testId }: { since: string; until: string | null; testId?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until) return;
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, [until]);
  const end = until ? new Date(until).getTime() : now;
  return (
    <span className="tabular-nums" data-testid={testId} suppressHydrationWarning>
      {formatElapsed(end - new Date(since).getTime())}
    </span>
  );
}
