import type { ReactNode } from 'react';
import { Label } from '@/components/ui/label';

/** A label above its control (the control carries the id named by `htmlFor`). */
export function FormField({ label, htmlFor, children }: { label: ReactNode; htmlFor: string; children: ReactNode }) {
  return (
    <div>
      <Label htmlFor={htmlFor}>{label}</Label>
      {children}
    </div>
  );
}
