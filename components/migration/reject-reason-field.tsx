import { Textarea } from '@/components/ui/field';
import { Label } from '@/components/ui/label';

/** The reason a rejection needs, as the single and the set decision forms ask for it. */
export function RejectReasonField({ id, value, onChange, disabled }: { id: string; value: string; onChange: (value: string) => void; disabled: boolean }) {
  return (
    <>
      <Label htmlFor={id}>Reason for rejecting</Label>
      <Textarea
        id={id}
        name="comment"
        required
        maxLength={2000}
        rows={2}
        disabled={disabled}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className="mt-0"
      />
    </>
  );
}
