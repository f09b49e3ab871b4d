import Form from 'next/form';
import Link from 'next/link';
import { AUDIT_RESULTS } from '@/lib/control/schema';
import { auditHref, type AuditQuery } from '@/lib/server/audit-query';
import type { AuditView } from '@/lib/server/audit-view';

const LABEL = 'block text-sm font-medium text-slate-700';
const FIELD = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-sky-500 focus:ring-2 focus:ring-sky-200 focus:outline-none';

/** A select whose empty choice, "any", leaves the filter out. */
function AnySelect({ id, name, label, value, options }: { id: string; name: string; label: string; value: string | undefined; options: readonly string[] }) {
  return (
    <div>
      <label htmlFor={id} className={LABEL}>
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ''} className={FIELD}>
        <option value="">any</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A GET form: the filters live in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilters({ query, choices }: { query: AuditQuery; choices: AuditView['choices'] }) {
  // A filter given in the URL stays selectable even when it matches nothing any more.
  const actions = query.action && !choices.actions.includes(query.action) ? [query.action, ...choices.actions] : choices.actions;
  return (
    // Remounted per URL so that "Clear" and back/forward show the URL's filters, not stale input.
    <Form key={auditHref(query)} action="/audit" role="search" aria-label="Filter the audit log" className="mb-6 grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-[1.5fr_1fr_1fr_0.8fr_auto]">
      <div>
        <label htmlFor="audit-filter-user" className={LABEL}>
          User
        </label>
        <input id="audit-filter-user" name="user" type="search" list="audit-actors" defaultValue={query.user ?? ''} placeholder="any" autoComplete="off" className={FIELD} />
        <datalist id="audit-actors">
          {choices.actors.map((actor) => (
            <option key={actor} value={actor} />
          ))}
        </datalist>
      </div>
      <div>
        <label htmlFor="audit-filter-env" className={LABEL}>
          Environment
        </label>
        <select id="audit-filter-env" name="env" defaultValue={query.env ?? ''} className={FIELD}>
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
        </select>
      </div>
      <AnySelect id="audit-filter-action" name="action" label="Action" value={query.action} options={actions} />
      <AnySelect id="audit-filter-result" name="result" label="Result" value={query.result} options={AUDIT_RESULTS} />
      <div className="flex items-end gap-3">
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600">
          Filter
        </button>
        <Link href="/audit" className="py-1.5 text-sm text-slate-600 underline-offset-2 hover:underline">
          Clear
        </Link>
      </div>
    </Form>
  );
}
