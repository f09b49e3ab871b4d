import type { ComponentProps } from 'react';
import { cn } from '@/components/ui/cn';

/** The page's one h1. */
export function PageTitle({ className, ...props }: ComponentProps<'h1'>) {
  return <h1 className={cn('text-2xl font-semibold tracking-tight', className)} {...props} />;
}

/** A section's h2 (give it an id and point the section's aria-labelledby at it). */
export function SectionTitle({ className, ...props }: ComponentProps<'h2'>) {
  return <h2 className={cn('text-lg font-semibold', className)} {...props} />;
}
