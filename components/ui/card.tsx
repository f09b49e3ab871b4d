import type { ComponentProps } from 'react';
import { cn } from '@/components/ui/cn';

/** The white panel that holds one section of a page (a form, facts, a gate). */
export const cardClass = 'rounded-lg border border-slate-200 bg-white p-4 shadow-sm';

/** A card that is a section of the page; pass aria-labelledby with its heading's id. */
export function Card({ className, ...props }: ComponentProps<'section'>) {
  return <section className={cn(cardClass, className)} {...props} />;
}
