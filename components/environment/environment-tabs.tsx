import Link from 'next/link';

const TABS = [
  { id: 'migrations', label: 'Migrations', path: '' },
  { id: 'schema', label: 'Schema', path: '/schema' },
] as const;

/** The environment's views: its migrations, its schema against them. */
export function EnvironmentTabs({ project, environment, current }: { project: string; environment: string; current: (typeof TABS)[number]['id'] }) {
  return (
    <nav aria-label="Environment views" className="mb-6 flex gap-1 border-b border-slate-200">
      {TABS.map((tab) => (
        <Link
          key={tab.id}
          href={`/projects/${project}/${environment}${tab.path}`}
          aria-current={tab.id === current ? 'page' : undefined}
          className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${tab.id === current ? 'border-sky-600 text-sky-800' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
          data-testid={`tab-${tab.id}`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
