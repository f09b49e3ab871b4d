import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fakeCategory, fakeMaker } from './fakes';

const text = { kind: 'text' as const, dataType: 'text' };

describe('stand-ins for personal and secret values', () => {
  it('are the same for the same value in any column of its kind, different for different values, within one copy', () => {
    const fake = fakeMaker(randomBytes(32));
    expect(fake('email', 'ada@example.org', text)).toBe(fake('email', 'ada@example.org', { kind: 'text', dataType: 'character varying(254)' }));
    expect(fake('email', 'ada@example.org', text)).not.toBe(fake('email', 'alan@example.org', text));
    const emails = new Set(Array.from({ length: 20_000 }, (_, i) => fake('email', `person${i}@example.org`, text)));
    expect(emails.size).toBe(20_000);
  });

  it('differ from one copy to the next: the key is made per copy', () => {
    expect(fakeMaker(randomBytes(32))('phone', '+44 20 7946 0000', text)).not.toBe(fakeMaker(randomBytes(32))('phone', '+44 20 7946 0000', text));
  });

  it('keep the format of what they replace, and the type and length of their column', () => {
    const fake = fakeMaker(randomBytes(32));
    expect(fake('email', 'x@y.z', text)).toMatch(/^[a-z]+\.[a-z]+\.[0-9a-z]+@example\.com$/);
    expect(fake('phone', '0123', text)).toMatch(/^\+1 555 01\d{2} \d{4}$/);
    expect(fake('birth', '1970-01-01', { kind: 'date', dataType: 'date' })).toMatch(/^(19[4-9]\d|200[0-5])-\d{2}-\d{2}$/);
    expect(fake('email', 'x@y.z', { kind: 'text', dataType: 'character varying(8)' })).toHaveLength(8);
    expect(JSON.parse(fake('address', JSON.stringify({ line1: '1 Real Road', postalCode: 'AB1 2CD', country: 'GB' }), { kind: 'json', dataType: 'jsonb' })!)).toEqual({
      line1: expect.stringMatching(/^\d+ [A-Z][a-z]+ [A-Z][a-z]+$/),
      postalCode: expect.stringMatching(/^\d{5}$/),
      country: expect.stringMatching(/^[A-Z]{2}$/),
    });
    expect(fake('email', null, text)).toBeNull();
  });

  it('never carry a secret over: a marked string that matches no password hash scheme', () => {
    const fake = fakeMaker(randomBytes(32));
    const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
    const masked = fake(fakeCategory('password_hash', false)!, hash, text)!;
    expect(masked).toMatch(/^!masked-by-dbdeck-[0-9a-z]+$/);
    expect(masked).not.toContain('argon2');
  });

  it('follow the data browser: personal and secret names, plus the configured extra columns', () => {
    expect(fakeCategory('email', false)).toBe('email');
    expect(fakeCategory('billing_address', false)).toBe('address');
    expect(fakeCategory('api_token', false)).toBe('secret');
    expect(fakeCategory('name', false)).toBeNull();
    expect(fakeCategory('name', true)).toBe('name');
    expect(fakeCategory('address_id', false)).toBeNull();
  });
});

describe('the keyed hash behind the stand-ins', () => {
  it('is HMAC-SHA-256 under the copy key', async () => {
    const { createHmac } = await import('node:crypto');
    const key = randomBytes(32);
    const fake = fakeMaker(key);
    // The secret stand-in carries the first 48 bits of HMAC(key, "secret\0" + value) in base 36.
    const d = createHmac('sha256', key).update('secret').update('\u0000').update('hunter2').digest();
    expect(fake('secret', 'hunter2', text)).toBe(`!masked-by-dbdeck-${d.readUIntBE(0, 6).toString(36)}`);
  });
});
