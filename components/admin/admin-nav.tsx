import Link from 'next/link';

const SECTIONS = [
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/tokens', label: 'API tokens' },
] as const;

export type AdminSection = (typeof SECTIONS)[number]['href'];

/** The admin pages' own navigation: users and API tokens. */
export function AdminNav({ current }: { current: AdminSection }) {
  return (
    <nav aria-label="Administration" className="mb-6 flex gap-1 border-b border-slate-200">
      {SECTIONS.map((section) => {
        const active = section.href === current;
        return (
          <Link
            key={section.href}
            href={section.href}
            aria-current={active ? 'page' : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${active ? 'border-slate-900 text-slate-900' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
          >
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}
