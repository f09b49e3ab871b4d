import Link from 'next/link';
import { signOutAction } from '@/app/sign-in/actions';
import type { Principal } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';

/** Navigation for the signed-in user: only the places their role may go. */
export function UserMenu({ user }: { user: Principal }) {
  const links = [
    { href: '/', label: 'Environments', show: true },
    { href: '/audit', label: 'Audit log', show: can(user.role, 'audit.view') },
    { href: '/admin/users', label: 'Users', show: can(user.role, 'users.manage') },
  ].filter((link) => link.show);
  return (
    <div className="ml-auto flex items-center gap-5 text-sm">
      <nav aria-label="Main" className="flex gap-4">
        {links.map((link) => (
          <Link key={link.href} href={link.href} className="text-slate-600 hover:text-slate-900">
            {link.label}
          </Link>
        ))}
      </nav>
      <span className="text-slate-500" data-testid="current-user">
        {user.actor} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{user.role}</span>
      </span>
      <form action={signOutAction}>
        <button type="submit" className="text-slate-600 underline-offset-2 hover:underline">
          Sign out
        </button>
      </form>
    </div>
  );
}
