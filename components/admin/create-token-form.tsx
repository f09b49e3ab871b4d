'use client';

import { useRef, useState } from 'react';
import { createToken } from '@/app/actions/tokens';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/field';
import { FormField } from '@/components/ui/form-field';
import { DEFAULT_TOKEN_LIFETIME_DAYS, newTokenSchema } from '@/lib/server/admin-schemas';
import { AdminForm } from './admin-form';
import { RoleSelect } from './form-controls';
import { useGuardedAction } from './use-guarded-action';

const LIFETIMES = [
  ['7', '7 days'],
  ['30', '30 days'],
  [String(DEFAULT_TOKEN_LIFETIME_DAYS), `${DEFAULT_TOKEN_LIFETIME_DAYS} days`],
  ['365', '1 year'],
  ['never', 'never'],
] as const;

/** Creates a token and shows it once: only its hash is stored, so it cannot be shown again. */
export function CreateTokenForm() {
  const form = useRef<HTMLFormElement>(null);
  const { submit, parsedFields, error, pending } = useGuardedAction(createToken);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    const fields = parsedFields(newTokenSchema, event);
    if (!fields) return;
    setCreated(null);
    submit(fields, (data) => {
      setCreated({ name: data.name, token: data.token });
      form.current?.reset();
    });
  }

  return (
    <div className="space-y-4">
      <AdminForm
        ref={form}
        onSubmit={onSubmit}
        name="create-token"
        title="Create an API token"
        gridClassName="sm:grid-cols-[2fr_1fr_1fr_auto]"
        error={error}
        submit={
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? 'Creating…' : 'Create token'}
          </Button>
        }
      >
        <FormField label="Name" htmlFor="create-token-name">
          <Input id="create-token-name" name="name" required maxLength={64} autoComplete="off" placeholder="e.g. ci-staging" size="sm" />
        </FormField>
        <FormField label="Role" htmlFor="create-token-role">
          <RoleSelect id="create-token-role" defaultValue="lead" />
        </FormField>
        <FormField label="Expires after" htmlFor="create-token-expires">
          <Select id="create-token-expires" name="expiresInDays" defaultValue={String(DEFAULT_TOKEN_LIFETIME_DAYS)} size="sm">
            {LIFETIMES.map(([days, label]) => (
              <option key={days} value={days}>
                {label}
              </option>
            ))}
          </Select>
        </FormField>
      </AdminForm>
      {created && <NewToken {...created} onDismiss={() => setCreated(null)} />}
    </div>
  );
}

function NewToken({ name, token, onDismiss }: { name: string; token: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    await navigator.clipboard.writeText(token);
    setCopied(true);
  }

  return (
    <section aria-labelledby="new-token-heading" className="rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="new-token">
      <h2 id="new-token-heading" className="font-semibold text-amber-900">
        Token “{name}” created
      </h2>
      <p className="mt-1 text-sm text-amber-900" data-testid="new-token-warning">
        Copy it now: this is the only time it is shown. dbdeck keeps only its hash; if it is lost, revoke it and create another.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <label htmlFor="new-token-value" className="sr-only">
          The new token
        </label>
        <input
          id="new-token-value"
          readOnly
          value={token}
          onFocus={(event) => event.currentTarget.select()}
          data-testid="new-token-value"
          className="min-w-0 flex-1 rounded-md border border-amber-300 bg-white px-2.5 py-1.5 font-mono text-sm"
        />
        <Button size="sm" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
        <Button size="sm" onClick={onDismiss}>
          Done
        </Button>
      </div>
      <p className="mt-2 text-xs text-amber-800">
        Use it as <code className="font-mono">Authorization: Bearer …</code> with the JSON API.
      </p>
    </section>
  );
}
