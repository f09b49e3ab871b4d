import type { ComponentProps, ReactNode } from 'react';
import { cardClass } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { ActionError } from './form-controls';

/**
 * The admin pages' forms: a card with a heading, the fields in a grid with the submit button last,
 * and the server's refusal below.
 */
export function AdminForm({
  name,
  title,
  gridClassName,
  submit,
  error,
  className,
  children,
  ...props
}: Omit<ComponentProps<'form'>, 'title'> & { name: string; title: string; gridClassName: string; submit: ReactNode; error: string | null }) {
  const headingId = `${name}-heading`;
  return (
    <form aria-labelledby={headingId} className={cn(cardClass, className)} {...props}>
      <h2 id={headingId} className="mb-3 font-semibold">
        {title}
      </h2>
      <div className={cn('grid gap-4', gridClassName)}>
        {children}
        <div className="flex items-start pt-6">{submit}</div>
      </div>
      <div className="mt-3 empty:hidden">
        <ActionError error={error} testId={`${name}-error`} />
      </div>
    </form>
  );
}
