import type { Server } from 'node:http';
import Provider from 'oidc-provider';

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (panva's oidc-provider) in this process, on a loopback port. Its
 * development login page accepts any login: the login typed is the account, and its e-mail.
 * ID tokens carry the e-mail and name (conformIdTokenClaims off), as most company IdPs do.
 * `claimsFor` lets a test make an account assert what a careless or hostile provider would (an
 * unverified e-mail, someone else's); by default the login is the subject and a verified e-mail.
 */
export async function startIdentityProvider(options: {
  port: number;
  redirectUri: string;
  claimsFor?: (login: string) => Record<string, unknown> | undefined;
}): Promise<TestIdentityProvider> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const clientId = 'dbdeck-console';
  const clientSecret = 'a-client-secret-for-the-sso-test-0123456789';
  const provider = new Provider(issuer, {
    clients: [
      { client_id: clientId, client_secret: clientSecret, redirect_uris: [options.redirectUri], response_types: ['code'], grant_types: ['authorization_code'] },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    cookies: { keys: ['sso-test-cookie-key-0123456789'] },
    async findAccount(_, id) {
      const claims = options.claimsFor?.(id) ?? { email: id, email_verified: true, name: id.split('@')[0] };
      return { accountId: id, claims: async () => ({ ...claims, sub: id }) };
    },
  });
  // Why a token request was refused, in the test's output (the console only sees invalid_grant).
  provider.on('grant.error', (ctx: { oidc?: { params?: { redirect_uri?: string } } }, error: { message: string; error_detail?: string }) =>
    console.error(`[identity provider] ${error.message}: ${error.error_detail ?? ''} (redirect_uri ${ctx.oidc?.params?.redirect_uri})`),
  );
  const server: Server = provider.listen(options.port, '127.0.0.1');
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  return { issuer, clientId, clientSecret, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
