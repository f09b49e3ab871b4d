import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshControlStore, type FreshControlStore } from '../../tests/support/control-store';
import { beginSignInAttempt, signInSucceeded, type SignInPolicy } from './sign-in-throttle';
import { openControlStore, type ControlStore } from './store';

// Waits long enough that no test outlives one by accident.
const policy: SignInPolicy = {
  pair: { free: 3, baseMs: 60_000, maxMs: 10 * 60_000 },
  address: { free: 6, baseMs: 60_000, maxMs: 10 * 60_000 },
  account: { free: 6, baseMs: 60_000, maxMs: 10 * 60_000 },
  quietMs: 15 * 60_000,
  global: { limit: 1_000, windowMs: 15 * 60_000 },
};

describe('sign-in limits', () => {
  let control: FreshControlStore;
  let store: ControlStore;
  let other: ControlStore; // a second console instance on the same store
  const sql = () => (store.db as unknown as { $client: import('postgres').Sql }).$client;
  const attempt = (email: string, address: string, p = policy, on = store) => beginSignInAttempt(on.db, email, address, p);

  beforeAll(async () => {
    control = await freshControlStore(12);
    store = control.store;
    other = openControlStore(control.url, { max: 12 });
  });
  afterAll(async () => {
    await other?.close();
    await control?.close();
  });

  it('counts parallel guesses one by one: of 12 at once for one e-mail, only the free ones reach the password check', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt('parallel@x.io', '203.0.113.1', policy, i % 2 ? store : other)));
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
    expect(results.filter((r) => !r.allowed).every((r) => !r.allowed && r.scope === 'pair')).toBe(true);
  });

  it('backs off one (e-mail, address) pair, doubling the wait, and leaves the same e-mail from another address alone', async () => {
    for (let i = 0; i < 3; i++) expect(await attempt('victim@x.io', '198.51.100.66')).toEqual({ allowed: true });
    const refused = await attempt('victim@x.io', '198.51.100.66', policy, other);
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) {
      expect(refused.scope).toBe('pair');
      expect(refused.waitMs).toBeGreaterThan(55_000);
      expect(refused.waitMs).toBeLessThanOrEqual(60_000);
    }
    // The attacker can't lock the victim out: from the victim's own address the e-mail is free.
    expect(await attempt('victim@x.io', '192.0.2.10')).toEqual({ allowed: true });

    // Once the wait has passed, one more attempt, then twice the wait.
    await sql().unsafe(`update dbdeck.sign_in_throttle set next_allowed_at = now() - interval '1 second' where scope = 'pair' and key = $1`, [
      'victim@x.io\n198.51.100.66',
    ]);
    expect(await attempt('victim@x.io', '198.51.100.66')).toEqual({ allowed: true });
    const doubled = await attempt('victim@x.io', '198.51.100.66');
    expect(!doubled.allowed && doubled.waitMs > 115_000 && doubled.waitMs <= 120_000).toBe(true);
  });

  it('a correct password starts the pair afresh and gives back only its own attempt', async () => {
    await attempt('typo@x.io', '192.0.2.20');
    await attempt('typo@x.io', '192.0.2.20');
    await attempt('typo@x.io', '192.0.2.20'); // the right password this time
    await signInSucceeded(store.db, 'typo@x.io', '192.0.2.20', policy);
    const [row] = await sql().unsafe(`select attempts from dbdeck.sign_in_throttle where scope = 'address' and key = '192.0.2.20'`);
    expect(row!.attempts).toBe(2);
    for (let i = 0; i < 3; i++) expect(await attempt('typo@x.io', '192.0.2.20')).toEqual({ allowed: true });
    expect((await attempt('typo@x.io', '192.0.2.20')).allowed).toBe(false);
  });

  it('slows one address spraying many e-mails, not the others', async () => {
    for (let i = 0; i < 6; i++) expect(await attempt(`user${i}@spray.io`, '203.0.113.50')).toEqual({ allowed: true });
    const refused = await attempt('user6@spray.io', '203.0.113.50');
    expect(!refused.allowed && refused.scope).toBe('address');
    expect(await attempt('user6@spray.io', '203.0.113.51')).toEqual({ allowed: true });
  });

  it('slows one account guessed at from many addresses: 10 addresses × 3 wrong passwords do not all reach the check, its owner still gets in', async () => {
    const outcomes: { address: number; allowed: boolean; scope?: string }[] = [];
    for (let address = 1; address <= 10; address++) {
      for (let guess = 0; guess < 3; guess++) {
        const result = await attempt('cfo@x.io', `127.0.0.${address}`);
        outcomes.push({ address, allowed: result.allowed, ...(result.allowed ? {} : { scope: result.scope }) });
      }
    }
    // Without the account's limit each address's 3 free guesses reached the password: all 30.
    const reached = outcomes.filter((o) => o.allowed).length;
    expect(reached).toBeLessThanOrEqual(6 + 10);
    expect(
      outcomes
        .slice(6)
        .filter((o) => !o.allowed)
        .every((o) => o.scope === 'account'),
    ).toBe(true);
    expect(outcomes.filter((o) => o.address === 10).map((o) => o.allowed)).toEqual([true, false, false]);

    // Never a lock-out: the owner, at an address of their own without failures, gets in at once…
    expect(await attempt('cfo@x.io', '192.0.2.99')).toEqual({ allowed: true });
    await signInSucceeded(store.db, 'cfo@x.io', '192.0.2.99', policy);
    // …and a guessing address waits, then may try again: the wait is bounded.
    const held = await attempt('cfo@x.io', '127.0.0.10');
    expect(!held.allowed && held.scope === 'account' && held.waitMs <= policy.account.maxMs).toBe(true);
    await sql().unsafe(`update dbdeck.sign_in_throttle set next_allowed_at = now() - interval '1 second' where scope = 'account' and key = $1`, ['cfo@x.io']);
    expect(await attempt('cfo@x.io', '127.0.0.10')).toEqual({ allowed: true });
  });

  it('forgets a pair after a quiet period', async () => {
    for (let i = 0; i < 3; i++) await attempt('quiet@x.io', '192.0.2.30');
    expect((await attempt('quiet@x.io', '192.0.2.30')).allowed).toBe(false);
    await sql().unsafe(
      `update dbdeck.sign_in_throttle set last_attempt_at = now() - interval '16 minutes' where key in ('quiet@x.io\n192.0.2.30', '192.0.2.30')`,
    );
    expect(await attempt('quiet@x.io', '192.0.2.30')).toEqual({ allowed: true });
  });

  it('over the global ceiling, addresses with failures wait while a correct password from an address of its own still gets in', async () => {
    const tight: SignInPolicy = { ...policy, global: { limit: 5, windowMs: 15 * 60_000 } };
    await sql().unsafe(`delete from dbdeck.sign_in_throttle`);
    for (let i = 0; i < 5; i++) expect(await attempt(`bot${i}@x.io`, `203.0.113.${100 + i}`, tight)).toEqual({ allowed: true });
    // A bot address trying another account: held back by the ceiling, not by its own limits.
    const bot = await attempt('admin@x.io', '203.0.113.100', tight);
    expect(!bot.allowed && bot.scope).toBe('global');
    // The admin, from an address with no failure: in.
    expect(await attempt('admin@x.io', '192.0.2.77', tight)).toEqual({ allowed: true });
    await signInSucceeded(store.db, 'admin@x.io', '192.0.2.77', tight);
    // A new window lifts the ceiling.
    await sql().unsafe(`update dbdeck.sign_in_throttle set window_started_at = now() - interval '16 minutes' where scope = 'global'`);
    expect(await attempt('admin@x.io', '203.0.113.100', tight)).toEqual({ allowed: true });
  });
});
