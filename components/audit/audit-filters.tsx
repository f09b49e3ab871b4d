import Form from 'next/form';
import { Button } from '@/components/ui/button';
import { cardClass } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { Input, Select } from '@/components/ui/field';
import { FormField } from '@/components/ui/form-field';
import { TextLink } from '@/components/ui/text-link';
import { AUDIT_RESULTS } from '@/lib/control/schema';
import { auditHref, type AuditQuery } from '@/lib/server/audit-query';
import type { AuditView } from '@/lib/server/audit-view';

/** A select whose empty choice, "any", leaves the filter out. */
function AnySelect({ id, name, label, value, options }: { id: string; name: string; label: string; value: string | undefined; options: readonly string[] }) {
  return (
    <FormField label={label} htmlFor={id}>
      <Select id={id} name={name} defaultValue={value ?? ''} size="sm">
        <option value="">any</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </Select>
    </FormField>
  );
}

/** A GET form: the filters live in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilters({ query, choices }: { query: AuditQuery; choices: AuditView['choices'] }) {
  // A filter given in the URL stays selectable even when it matches nothing any more.
  const actions = query.action && !choices.actions.includes(query.action) ? [query.action, ...choices.actions] : choices.actions;
  return (
    // Remounted per URL so that "Clear" and back/forward show the URL's filters, not stale input.
    <Form
      key={auditHref(query)}
      action="/audit"
      role="search"
      aria-label="Filter the audit log"
      className={cn(cardClass, 'mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-[1.5fr_1fr_1fr_0.8fr_auto]')}
    >
      <FormField label="User" htmlFor="audit-filter-user">
        <Input
          id="audit-filter-user"
          name="user"
          type="search"
          list="audit-actors"
          defaultValue={query.user ?? ''}
          placeholder="any"
          autoComplete="off"
          size="sm"
        />
        <datalist id="audit-actors">
          {choices.actors.map((actor) => (
            <option key={actor} value={actor} />
          ))}
        </datalist>
      </FormField>
      <FormField label="Environment" htmlFor="audit-filter-env">
        <Select id="audit-filter-env" name="env" defaultValue={query.env ?? ''} size="sm">
          <option value="">any</option>
          {choices.projects.map((project) => (
            <optgroup key={project.name} label={project.name}>
              <option value={project.name}>{project.name} (every environment)</option>
              {project.environments.map((environment) => (
                <option key={environment} value={`${project.name}/${environment}`}>
                  {project.name} / {environment}
                </option>
              ))}
            </optgroup>
          ))}
        </Select>
      </FormField>
      <AnySelect id="audit-filter-action" name="action" label="Action" value={query.action} options={actions} />
      <AnySelect id="audit-filter-result" name="result" label="Result" value={query.result} options={AUDIT_RESULTS} />
      <div className="flex items-end gap-3">
        <Button type="submit" variant="primary">
          Filter
        </Button>
        <TextLink tone="muted" href="/audit" className="py-1.5 text-sm">
          Clear
        </TextLink>
      </div>
    </Form>
  );
}
