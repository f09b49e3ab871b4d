import type { ComponentProps, ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

/** What a list shows when it has nothing to show, and what to do about it. */
export function EmptyState({ title, testId, children }: { title: string; testId?: string; children?: ReactNode }) {
  return (
    <div data-testid={testId} className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
      <p className="font-medium text-slate-900">{title}</p>
      {children && <div className="mt-1 text-sm text-slate-600">{children}</div>}
    </div>
  );
}

/** The one-line version, inside a section whose heading already says what is listed. */
export function EmptyNote({ className, ...props }: ComponentProps<'p'>) {
  return <p className={cn('rounded-lg border border-dashed border-slate-300 bg-white px-4 py-3 text-sm text-slate-500', className)} {...props} />;
}
