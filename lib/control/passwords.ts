import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's recommendation). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash to verify against when the e-mail is unknown, so that an unknown user costs the same
 * time as a wrong password and response times don't reveal which e-mails exist.
 */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$oSDZxc9jeOXREoEVRFeUKw$KON78k6g0GMpIfCWB7+fsAKTu8T17ft1uA1m8XQPHy8';
