import { cva, type VariantProps } from 'class-variance-authority';
import type { ComponentProps, ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

const tableVariants = cva('w-full divide-y divide-slate-200 text-sm', {
  variants: {
    // Compact tables (many columns of short values) pad every cell less; the descendant selectors
    // outrank the cells' own padding, so the cells need not know which table they are in.
    density: {
      comfortable: '',
      compact: '[&_td]:px-3 [&_td]:py-2.5 [&_th]:px-3',
    },
  },
  defaultVariants: { density: 'comfortable' },
});

/** A data table in a bordered, horizontally scrolling card. `className` styles the `<table>`. */
export function Table({
  className,
  containerClassName,
  density,
  ...props
}: ComponentProps<'table'> & VariantProps<typeof tableVariants> & { containerClassName?: string }) {
  return (
    <div className={cn('overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm', containerClassName)}>
      <table className={cn(tableVariants({ density }), className)} {...props} />
    </div>
  );
}

/** What the table lists, for screen readers (hidden on screen: the page's heading says it). */
export function TableCaption({ className, ...props }: ComponentProps<'caption'>) {
  return <caption className={cn('sr-only', className)} {...props} />;
}

export function TableHeader({ className, ...props }: ComponentProps<'thead'>) {
  return <thead className={cn('bg-slate-50', className)} {...props} />;
}

export function TableBody({ className, ...props }: ComponentProps<'tbody'>) {
  return <tbody className={cn('divide-y divide-slate-100', className)} {...props} />;
}

/** A column of a header row: its label, and its own alignment or width if any. */
export interface TableColumn {
  label: ReactNode;
  /** Needed when the label is not a string. */
  key?: string;
  className?: string;
}

/**
 * The header row, from the columns in order (a string is a plain, left-aligned label).
 * `className` restyles the header (a plain table's underline instead of the card's shading),
 * `cellClassName` every heading cell; a column's own class comes last.
 */
export function TableColumnHeaders({
  columns,
  className,
  cellClassName,
}: {
  columns: readonly (string | TableColumn)[];
  className?: string;
  cellClassName?: string;
}) {
  return (
    <TableHeader className={className}>
      <tr>
        {columns.map((column) => {
          const { label, key, className: own } = typeof column === 'string' ? { label: column } : column;
          return (
            <TableHead key={key ?? String(label)} className={cn(cellClassName, own)}>
              {label}
            </TableHead>
          );
        })}
      </tr>
    </TableHeader>
  );
}

/** A column's heading. */
export function TableHead({ className, ...props }: ComponentProps<'th'>) {
  return <th scope="col" className={cn('px-4 py-2.5 text-left text-xs font-medium tracking-wide text-slate-500 uppercase', className)} {...props} />;
}

/** The cell that names its row (read out before the row's other cells). */
export function TableRowHeader({ className, ...props }: ComponentProps<'th'>) {
  return <th scope="row" className={cn('px-4 py-3 text-left font-medium text-slate-900', className)} {...props} />;
}

export function TableCell({ className, ...props }: ComponentProps<'td'>) {
  return <td className={cn('px-4 py-3', className)} {...props} />;
}
