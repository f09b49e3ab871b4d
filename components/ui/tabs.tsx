import Link from 'next/link';
import type { ComponentProps } from 'react';
import { cn } from '@/components/ui/cn';

/** A row of tabs that are links (each view has its own URL); give it an aria-label. */
export function TabNav({ className, ...props }: ComponentProps<'nav'>) {
  return <nav className={cn('mb-6 flex gap-1 border-b border-slate-200', className)} {...props} />;
}

/** One tab; the current one is underlined and marked aria-current="page". */
export function TabLink({ active, className, ...props }: ComponentProps<typeof Link> & { active: boolean }) {
  return (
    <Link
      aria-current={active ? 'page' : undefined}
      className={cn(
        '-mb-px border-b-2 px-3 py-2 text-sm font-medium',
        active ? 'border-sky-600 text-sky-800' : 'border-transparent text-slate-600 hover:text-slate-900',
        className,
      )}
      {...props}
    />
  );
}
