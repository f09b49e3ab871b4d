/** A token's state as of `now`, as lists show it: a revoked or expired token is refused. */
export function tokenStatus(token: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): 'live' | 'revoked' | 'expired' {
  if (token.revokedAt) return 'revoked';
  return token.expiresAt && new Date(token.expiresAt).getTime() <= now.getTime() ? 'expired' : 'live';
}
