import { cva, type VariantProps } from 'class-variance-authority';
import type { ComponentProps } from 'react';
import { cn } from '@/components/ui/cn';

export const labelVariants = cva('block font-medium', {
  variants: {
    size: {
      sm: 'text-sm text-slate-700',
      xs: 'text-xs text-slate-600',
    },
  },
  defaultVariants: { size: 'sm' },
});

/** A form field's name, above the field (or around it: a label may wrap its input). */
export function Label({ size, className, ...props }: ComponentProps<'label'> & VariantProps<typeof labelVariants>) {
  return <label className={cn(labelVariants({ size }), className)} {...props} />;
}
