import { signInWithSso } from '@/app/sign-in/actions';
import { Button } from '@/components/ui/button';

/** The single sign-on button: shown when DBDECK_OIDC_* configure a provider. */
export function SsoSignIn({ name, callbackUrl }: { name: string; callbackUrl: string }) {
  return (
    <form action={signInWithSso} className="mt-4 border-t border-slate-200 pt-4">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Button type="submit" size="lg" className="w-full text-slate-800">
        Sign in with {name}
      </Button>
    </form>
  );
}
