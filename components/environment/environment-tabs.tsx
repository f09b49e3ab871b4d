import { TabLink, TabNav } from '@/components/ui/tabs';

const TABS = [
  { id: 'migrations', label: 'Migrations', path: '' },
  { id: 'schema', label: 'Schema', path: '/schema' },
] as const;

/** The environment's views: its migrations, its schema against them. */
export function EnvironmentTabs({ project, environment, current }: { project: string; environment: string; current: (typeof TABS)[number]['id'] }) {
  return (
    <TabNav aria-label="Environment views">
      {TABS.map((tab) => (
        <TabLink key={tab.id} href={`/projects/${project}/${environment}${tab.path}`} active={tab.id === current} data-testid={`tab-${tab.id}`}>
          {tab.label}
        </TabLink>
      ))}
    </TabNav>
  );
}
