import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fakeCategory, fakeMaker, type FakeCategory, type FakeTarget } from './fakes';

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
    expect(
      JSON.parse(fake('address', JSON.stringify({ line1: '1 Real Road', postalCode: 'AB1 2CD', country: 'GB' }), { kind: 'json', dataType: 'jsonb' })!),
    ).toEqual({
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

describe('the stand-ins of a given key', () => {
  // Pinned: a faster implementation must give exactly these (the same value, the same stand-in).
  const key = Buffer.from('dbdeck copy golden key, 32 bytes', 'utf8');
  const categories: FakeCategory[] = [
    'email',
    'phone',
    'address',
    'postal',
    'city',
    'region',
    'country',
    'ip',
    'birth',
    'iban',
    'card',
    'identity',
    'geo',
    'name',
    'personal',
    'secret',
  ];
  const targets: FakeTarget[] = [
    { kind: 'text', dataType: 'text' },
    { kind: 'text', dataType: 'character varying(12)' },
    { kind: 'number', dataType: 'integer' },
    { kind: 'date', dataType: 'date' },
    { kind: 'date', dataType: 'timestamp with time zone' },
    { kind: 'boolean', dataType: 'boolean' },
    { kind: 'json', dataType: 'jsonb' },
    { kind: 'uuid', dataType: 'uuid' },
  ];
  const matrix = (fake: ReturnType<typeof fakeMaker>) => [
    ...categories.flatMap((category) => targets.map((target) => `${category}|${target.dataType}|${fake(category, `value of ${category} ü`, target)}`)),
    `json|${fake('address', JSON.stringify({ line1: '1 Real Road', postalCode: 'AB1 2CD', nested: [{ city: 'Leeds' }, 3] }), { kind: 'json', dataType: 'jsonb' })}`,
  ];

  it('are the ones dbdeck has always made', () => {
    const lines = matrix(fakeMaker(key));
    expect(lines.slice(0, 3)).toEqual(['email|text|uma.pryce.1ehvhk8cla@example.com', 'email|character varying(12)|uma.pryce.1e', 'email|integer|709538']);
    expect(lines).toContain('secret|text|!masked-by-dbdeck-1zy5tx6s6k');
    expect(lines).toContain('geo|integer|-76.14238');
    expect(createHash('sha256').update(lines.join('\n')).digest('hex')).toBe('a7e023c8e730d42b2825309e02f1be91f6525a12c013645fdfc971bc837fa659');
  });

  it('do not depend on what was faked before (the per-value cache) nor on the way they are asked for', () => {
    const fake = fakeMaker(key);
    const first = matrix(fake);
    for (let i = 0; i < 1000; i++) fake('name', `someone ${i}`, { kind: 'text', dataType: 'text' });
    expect(matrix(fake)).toEqual(first);
    const forColumn = fakeMaker(key).forColumn;
    const lines = categories.flatMap((category) =>
      targets.map((target) => `${category}|${target.dataType}|${forColumn(category, target)(`value of ${category} ü`)}`),
    );
    expect(lines).toEqual(first.slice(0, -1));
  });
});
