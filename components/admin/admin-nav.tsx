import { TabLink, TabNav } from '@/components/ui/tabs';

const SECTIONS = [
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/tokens', label: 'API tokens' },
] as const;

export type AdminSection = (typeof SECTIONS)[number]['href'];

/** The admin pages' own navigation: users and API tokens. */
export function AdminNav({ current }: { current: AdminSection }) {
  return (
    <TabNav aria-label="Administration">
      {SECTIONS.map((section) => (
        <TabLink key={section.href} href={section.href} active={section.href === current}>
          {section.label}
        </TabLink>
      ))}
    </TabNav>
  );
}
