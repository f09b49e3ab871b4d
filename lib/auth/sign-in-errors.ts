import type { OidcRefusal } from './oidc';

/** The `error` the sign-in page is sent back with for each refused SSO sign-in. */
export const SSO_REFUSAL_ERRORS: Record<Exclude<OidcRefusal, 'no-role'>, string> = {
  incomplete: 'SsoIncomplete',
  unverified: 'SsoUnverified',
  'account-exists': 'SsoAccountExists',
  disabled: 'SsoDisabled',
};

/** next-auth's error codes and ours that reach the sign-in page, in words. Anything else: a generic message. */
export const SIGN_IN_ERRORS: Record<string, string> = {
  // next-auth's code for a refused sign-in; dbdeck refuses with it only for an unmapped e-mail.
  AccessDenied: 'Your single sign-on account has no access to dbdeck: its e-mail maps to no role. Ask an admin.',
  SsoIncomplete: 'Single sign-on failed: the provider did not say who you are (no subject or e-mail). Ask an admin.',
  SsoUnverified: 'Single sign-on refused: your provider has not verified your e-mail address. Verify it there, then try again.',
  SsoAccountExists:
    'Single sign-on refused: a dbdeck account with this e-mail exists already and signs in with a password. Sign in with your password, or ask an admin to switch your account to single sign-on.',
  SsoDisabled: 'Single sign-on refused: your dbdeck account is disabled. Ask an admin.',
};
