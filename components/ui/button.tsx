import { cva, type VariantProps } from 'class-variance-authority';
import type { ComponentProps } from 'react';
import { cn } from '@/components/ui/cn';

/** The console's buttons; also for links that look like buttons (`className={buttonVariants(…)}`). */
export const buttonVariants = cva(
  'rounded-md text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50',
  {
    variants: {
      variant: {
        primary: 'bg-slate-900 text-white hover:bg-slate-800',
        secondary: 'border border-slate-300 bg-white text-slate-700 hover:bg-slate-50',
        ghost: 'text-slate-600 hover:bg-slate-100',
        danger: 'bg-red-700 text-white hover:bg-red-800',
        'danger-outline': 'border border-red-300 bg-white text-red-700 hover:bg-red-50 focus-visible:outline-red-600',
        success: 'bg-emerald-700 text-white hover:bg-emerald-800 focus-visible:outline-emerald-700',
        link: 'font-normal text-sky-700 underline-offset-2 hover:underline',
      },
      size: {
        xs: 'px-2 py-1',
        sm: 'px-2.5 py-1',
        md: 'px-3 py-1.5',
        lg: 'px-3 py-2',
        none: 'p-0',
      },
    },
    defaultVariants: { variant: 'secondary', size: 'md' },
  },
);

export type ButtonProps = ComponentProps<'button'> & VariantProps<typeof buttonVariants>;

/** A `<button>`: `type="button"` unless told otherwise, so it never submits a form by accident. */
export function Button({ variant, size, className, type = 'button', ...props }: ButtonProps) {
  return <button type={type} className={cn(buttonVariants({ variant, size }), className)} {...props} />;
}
