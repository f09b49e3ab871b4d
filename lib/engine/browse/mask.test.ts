import { describe, expect, it } from 'vitest';
import { isMasked, MASK, maskRows, sensitivityOf } from './mask';
import type { BrowseColumn, BrowseTable } from './types';

const col = (name: string, kind: BrowseColumn['kind'] = 'text'): BrowseColumn => ({ name, kind, dataType: 'text', nullable: true, indexed: false });
const users: BrowseTable = {
  name: 'users',
  schema: 'public',
  columns: [col('id'), col('name'), col('email'), col('phone'), col('password_hash'), col('notes'), col('profile', 'json')],
  primaryKey: ['id'],
  foreignKeys: [],
  referencedBy: [],
  rowCount: 1,
  rowCountExact: true,
};

describe('masking by column name', () => {
  it('knows secret-like names in any case style', () => {
    for (const name of [
      'password',
      'password_hash',
      'passwordHash',
      'hashed_password',
      'api_key',
      'apiKey',
      'APIKEY',
      'refresh_token',
      'sessionToken',
      'client_secret',
      'salt',
      'totp_secret',
      'private_key',
      'pin',
    ]) {
      expect(sensitivityOf(name), name).toBe('secret');
    }
  });

  it('knows personal names, word by word, without matching inside other words', () => {
    for (const name of [
      'email',
      'e_mail',
      'emailAddress',
      'phone',
      'mobile_number',
      'billing_address',
      'street',
      'zip',
      'postal_code',
      'postalCode',
      'ssn',
      'date_of_birth',
      'dateOfBirth',
      'birthdate',
      'birth_date',
      'birthday',
      'born',
      'born_on',
      'bornOn',
      'dob',
      'ip',
      'last_login_ip',
      'iban',
      'card_number',
      'tax_id',
      'national_id',
    ]) {
      expect(sensitivityOf(name), name).toBe('personal');
    }
    for (const name of [
      'id',
      'name',
      'description',
      'shipping_method',
      'recipe',
      'status',
      'total',
      'created_at',
      'domain',
      'referrer',
      'path',
      'address_id',
      'card_ids',
      'hotel',
    ]) {
      expect(sensitivityOf(name), name).toBeNull();
    }
  });

  it('masks secrets for everyone, personal columns and configured extras only when the policy says so', () => {
    const lead = { maskPersonal: false, extraPersonal: ['notes'] };
    const support = { maskPersonal: true, extraPersonal: ['users.notes'] };
    expect(['email', 'password_hash', 'notes', 'name'].map((c) => isMasked(users, c, lead))).toEqual([false, true, false, false]);
    expect(['email', 'password_hash', 'notes', 'name'].map((c) => isMasked(users, c, support))).toEqual([true, true, true, false]);
  });

  it('replaces the whole value, keeps NULL, and masks personal and secret keys inside JSON', () => {
    const row = {
      id: '1',
      name: 'Ada',
      email: 'ada@example.com',
      phone: null,
      password_hash: '$argon2id$…',
      notes: 'n',
      profile: { plan: 'pro', contact: { email: 'ada@example.com', token: 't' }, tags: [{ ip: '10.0.0.1' }] },
    };
    const support = maskRows(users, [row], { maskPersonal: true });
    expect(support.masked).toEqual(['email', 'phone', 'password_hash']);
    expect(support.rows[0]).toEqual({
      ...row,
      email: MASK,
      phone: null,
      password_hash: MASK,
      profile: { plan: 'pro', contact: { email: MASK, token: MASK }, tags: [{ ip: MASK }] },
    });
    const lead = maskRows(users, [row], { maskPersonal: false });
    expect(lead.masked).toEqual(['password_hash']);
    expect(lead.rows[0]).toEqual({ ...row, password_hash: MASK, profile: { ...row.profile, contact: { email: 'ada@example.com', token: MASK } } });
    expect(row.email).toBe('ada@example.com');
  });

  it('parses JSON held as text (SQLite) before masking inside it', () => {
    const { rows } = maskRows(users, [{ id: '1', profile: '{"email":"a@b.c","plan":"pro"}' }], { maskPersonal: true }, { jsonAsText: true });
    expect(rows[0]!.profile).toEqual({ email: MASK, plan: 'pro' });
  });

  it('masks JSON held in a text column (SQLite text mode json, or any text that parses), keeping other text as it is', () => {
    const settings = JSON.stringify({ plan: 'team', contactPhone: '+1 415 555 3096', owner: { homeAddress: { street: '1 Real Road' } } });
    const nested = JSON.stringify({ meta: JSON.stringify({ born_on: '1975-01-02', token: 't' }) });
    const { rows } = maskRows(
      users,
      [
        { id: '1', notes: settings, name: nested, email: 'a@b.c' },
        { id: '2', notes: '{not json', name: '[1, 2]' },
      ],
      {
        maskPersonal: true,
      },
    );
    expect(JSON.parse(rows[0]!.notes as string)).toEqual({ plan: 'team', contactPhone: MASK, owner: { homeAddress: MASK } });
    expect(JSON.parse(JSON.parse(rows[0]!.name as string).meta as string)).toEqual({ born_on: MASK, token: MASK });
    // Nothing to hide: the text itself, spacing included.
    expect(rows[1]).toEqual({ id: '2', name: '[1, 2]', email: undefined, phone: undefined, password_hash: undefined, notes: '{not json', profile: undefined });
  });
});
