import { cva, type VariantProps } from 'class-variance-authority';
import Link from 'next/link';
import type { ComponentProps } from 'react';
import { cn } from '@/components/ui/cn';

export const textLinkVariants = cva('underline-offset-2 hover:underline', {
  variants: {
    tone: {
      sky: 'text-sky-700',
      muted: 'text-slate-600',
    },
  },
  defaultVariants: { tone: 'sky' },
});

/** A link in running text or a cell: coloured, underlined on hover (a link that looks like a button uses `buttonVariants`). */
export function TextLink({ tone, className, ...props }: ComponentProps<typeof Link> & VariantProps<typeof textLinkVariants>) {
  return <Link className={cn(textLinkVariants({ tone }), className)} {...props} />;
}
