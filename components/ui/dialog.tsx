'use client';

import * as DialogPrimitive from '@radix-ui/react-dialog';
import { cva, type VariantProps } from 'class-variance-authority';
import type { ComponentProps } from 'react';
import { cn } from '@/components/ui/cn';

export const Dialog = DialogPrimitive.Root;
export const DialogTrigger = DialogPrimitive.Trigger;
export const DialogClose = DialogPrimitive.Close;
export const DialogTitle = DialogPrimitive.Title;
export const DialogDescription = DialogPrimitive.Description;

const contentVariants = cva('fixed z-50 flex flex-col bg-white shadow-xl focus:outline-none', {
  variants: {
    side: {
      center: 'top-1/2 left-1/2 max-h-[90vh] w-[min(48rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-lg',
      right: 'inset-y-0 right-0 w-[min(32rem,100vw)] border-l border-slate-200',
    },
  },
  defaultVariants: { side: 'center' },
});

/** The dialog's box over a dimmed page, in a portal: centred, or a panel along the right edge. */
export function DialogContent({
  side,
  className,
  overlayClassName,
  ...props
}: ComponentProps<typeof DialogPrimitive.Content> & VariantProps<typeof contentVariants> & { overlayClassName?: string }) {
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className={cn('fixed inset-0 z-40 bg-slate-900/40', overlayClassName)} />
      <DialogPrimitive.Content className={cn(contentVariants({ side }), className)} {...props} />
    </DialogPrimitive.Portal>
  );
}

/** The top band: title, description and any header actions. */
export function DialogHeader({ className, ...props }: ComponentProps<'div'>) {
  return <div className={cn('border-b border-slate-200 px-5 py-4', className)} {...props} />;
}

/** The scrolling middle. */
export function DialogBody({ className, ...props }: ComponentProps<'div'>) {
  return <div className={cn('min-h-0 flex-1 overflow-y-auto px-5 py-4', className)} {...props} />;
}

/** The bottom band's row of buttons, the confirming one last. */
export function DialogActions({ className, ...props }: ComponentProps<'div'>) {
  return <div className={cn('flex justify-end gap-2', className)} {...props} />;
}
