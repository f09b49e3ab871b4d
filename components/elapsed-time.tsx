'use client';

import { useEffect, useState } from 'react';
import { formatMs } from '@/lib/format';

function format(ms: number): string {
  if (ms < 1000) return formatMs(Math.max(0, ms));
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.floor(seconds % 60)} s`;
}

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
      {format(end - new Date(since).getTime())}
    </span>
  );
}
