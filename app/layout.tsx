import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Toaster } from 'sonner';
import { UserMenu } from '@/components/user-menu';
import { getCurrentUser } from '@/lib/auth/current-user';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'dbdeck', template: '%s · dbdeck' },
  description: 'Migration status, apply, rollback, seed and reset for Drizzle ORM databases.',
  icons: { icon: { url: '/favicon.svg', type: 'image/svg+xml' } },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Shows who is signed in; it is not an auth boundary (every page and action checks itself).
  const user = await getCurrentUser();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-6">
            <Link
              href="/"
              className="flex items-center gap-2 rounded-md font-semibold tracking-tight text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-sky-600"
            >
              {/* eslint-disable-next-line @next/next/no-img-element -- a 20 px SVG: next/image has nothing to optimise */}
              <img src="/favicon.svg" alt="" width={20} height={20} />
              dbdeck
            </Link>
            <span className="text-sm text-slate-500">Drizzle database console</span>
            {user && <UserMenu user={user} />}
          </div>
        </header>
        <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
        <Toaster position="bottom-right" richColors closeButton />
      </body>
    </html>
  );
}
