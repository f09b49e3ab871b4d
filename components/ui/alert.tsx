import { cva, type VariantProps } from 'class-variance-authority';
import type { ComponentProps } from 'react';
import { cn } from '@/components/ui/cn';

/**
 * A boxed message: an error, a warning, or a neutral explanation. No role by default: callers
 * that announce (role="alert") or annotate (role="note") say so, as each place did before.
 */
export const alertVariants = cva('rounded-md border px-3 py-2 text-sm', {
  variants: {
    tone: {
      error: 'border-red-200 bg-red-50 text-red-800',
      warning: 'border-amber-200 bg-amber-50 text-amber-900',
      neutral: 'border-slate-200 bg-slate-50 text-slate-700',
      success: 'border-emerald-200 bg-emerald-50 text-emerald-900',
    },
  },
  defaultVariants: { tone: 'error' },
});

type AlertProps = VariantProps<typeof alertVariants>;

/** A one-paragraph message. */
export function Alert({ tone, className, ...props }: ComponentProps<'p'> & AlertProps) {
  return <p className={cn(alertVariants({ tone }), className)} {...props} />;
}

/** The same box around several blocks (a heading and a list, say). */
export function AlertBox({ tone, className, ...props }: ComponentProps<'div'> & AlertProps) {
  return <div className={cn(alertVariants({ tone }), className)} {...props} />;
}
