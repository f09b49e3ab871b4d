/**
 * Signs in through next-auth's credentials endpoints, as a browser's form does (the CSRF token
 * and its cookie first), and returns the Cookie header of the session. Plain fetch: for scripts
 * and Vitest, where Playwright's request context is not at hand.
 */
export async function signInOverHttp(url: string, email: string, password: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const header = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const csrf = await fetch(`${url}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${url}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: '/' }),
    redirect: 'manual',
  });
  keep(response);
  if (response.status !== 302 || ![...cookies.keys()].some((name) => name.includes('session-token')))
    throw new Error(`could not sign in as ${email}: HTTP ${response.status}`);
  return header();
}
