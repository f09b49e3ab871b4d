import { cva, type VariantProps } from 'class-variance-authority';
import type { ComponentProps } from 'react';
import { cn } from '@/components/ui/cn';

export const badgeVariants = cva('inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', {
  variants: {
    tone: {
      slate: 'bg-slate-100 text-slate-700 ring-slate-200',
      green: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
      sky: 'bg-sky-50 text-sky-700 ring-sky-200',
      violet: 'bg-violet-50 text-violet-700 ring-violet-200',
      amber: 'bg-amber-50 text-amber-800 ring-amber-200',
      red: 'bg-red-50 text-red-700 ring-red-200',
    },
  },
});

export type BadgeTone = NonNullable<VariantProps<typeof badgeVariants>['tone']>;

/** A short state in a coloured pill; the colour says good (green), waiting (amber) or wrong (red). */
export function Badge({ tone, testId, className, ...props }: ComponentProps<'span'> & { tone: BadgeTone; testId?: string }) {
  return <span data-testid={testId} className={cn(badgeVariants({ tone }), className)} {...props} />;
}
