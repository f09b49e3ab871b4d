import { signInWithSso } from '@/app/sign-in/actions';

/** The single sign-on button: shown when DBDECK_OIDC_* configure a provider. */
export function SsoSignIn({ name, callbackUrl }: { name: string; callbackUrl: string }) {
  return (
    <form action={signInWithSso} className="mt-4 border-t border-slate-200 pt-4">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <button type="submit" className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
        Sign in with {name}
      </button>
    </form>
  );
}
