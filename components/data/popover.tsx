'use client';

import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * A small panel anchored under its trigger (column filter, column menu): closes on Escape, on a
 * click outside, or when its content calls `close`. Not modal: the table stays usable.
 */
export function Popover({
  label,
  trigger,
  triggerClassName,
  align = 'left',
  testId,
  children,
}: {
  label: string;
  trigger: ReactNode;
  triggerClassName: string;
  align?: 'left' | 'right';
  testId?: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div ref={root} className="relative inline-block">
      <button
        type="button"
        aria-label={label}
        title={label}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen((was) => !was)}
        className={triggerClassName}
        data-testid={testId}
      >
        {trigger}
      </button>
      {open && (
        <div
          id={id}
          role="dialog"
          aria-label={label}
          className={`absolute top-full z-30 mt-1 min-w-56 rounded-md border border-slate-200 bg-white p-3 text-left text-sm font-normal tracking-normal text-slate-800 normal-case shadow-lg ${align === 'right' ? 'right-0' : 'left-0'}`}
        >
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
