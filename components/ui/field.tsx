import { cva, type VariantProps } from 'class-variance-authority';
import type { ComponentProps } from 'react';
import { cn } from '@/components/ui/cn';

/** Text inputs and selects: one border, one focus ring, three sizes. */
export const fieldVariants = cva(
  'mt-1 block w-full rounded-md border border-slate-300 bg-white text-sm shadow-sm focus:border-sky-500 focus:ring-2 focus:ring-sky-200 focus:outline-none',
  {
    variants: {
      size: {
        xs: 'px-2 py-1',
        sm: 'px-2.5 py-1.5',
        md: 'px-3 py-2',
      },
    },
    defaultVariants: { size: 'md' },
  },
);

type FieldProps = VariantProps<typeof fieldVariants>;

export function Input({ size, className, ...props }: Omit<ComponentProps<'input'>, 'size'> & FieldProps) {
  return <input className={cn(fieldVariants({ size }), className)} {...props} />;
}

export function Select({ size, className, ...props }: Omit<ComponentProps<'select'>, 'size'> & FieldProps) {
  return <select className={cn(fieldVariants({ size }), className)} {...props} />;
}

export function Textarea({ size, className, ...props }: ComponentProps<'textarea'> & FieldProps) {
  return <textarea className={cn(fieldVariants({ size }), className)} {...props} />;
}
