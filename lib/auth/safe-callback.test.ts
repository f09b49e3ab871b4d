import { describe, expect, it } from 'vitest';
import { safeCallback } from './safe-callback';

describe('the callback after sign-in', () => {
  it('keeps paths on the console, with their query and fragment', () => {
    expect(safeCallback('/')).toBe('/');
    expect(safeCallback('/projects/shop/staging')).toBe('/projects/shop/staging');
    expect(safeCallback('/audit?action=auth.sign-in&page=2#top')).toBe('/audit?action=auth.sign-in&page=2#top');
    expect(safeCallback('/projects/shop/staging/data/users?f=email:contains:%40')).toBe('/projects/shop/staging/data/users?f=email:contains:%40');
  });

  // Known ways around a "starts with / but not //" check, each of which some browser follows
  // off-site. Every one must come back as the console's home.
  const bypasses = [
    '//evil.example',
    '//evil.example/x',
    '///evil.example',
    '////evil.example',
    '/\\evil.example/x',
    '\\\\evil.example',
    '\\/evil.example',
    '/\\/evil.example',
    '/%5Cevil.example/x',
    '/\t/evil.example/tab',
    '/%09/evil.example/tab',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/\u0000/evil.example',
    '/\u001f/evil.example',
    '/\u007f/evil.example',
    '/\u0085/evil.example',
    '/.//evil.example',
    '/./\\evil.example',
    '/..//evil.example',
    '/x/..//evil.example',
    'https://evil.example',
    'http://evil.example/sign-in',
    'HTTPS://evil.example',
    'https:evil.example',
    'http:/evil.example',
    'http:\\\\evil.example',
    '//user@evil.example',
    '/@evil.example',
    'https://dbdeck.invalid@evil.example',
    '//dbdeck.invalid@evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'evil.example',
    '.evil.example',
    '',
    ' /audit',
    '%2F%2Fevil.example',
    '/%2F/evil.example',
    '/%252F%252Fevil.example',
  ];
  it.each(bypasses)('refuses %j', (value) => {
    const result = safeCallback(value);
    // Whatever comes back resolves to the console itself, against any origin.
    const origin = 'http://127.0.0.1:3000';
    expect(new URL(result, origin).origin).toBe(origin);
    expect(result.startsWith('/') && !result.startsWith('//') && !result.includes('\\')).toBe(true);
  });

  it('answers the home page for every bypass that is not a plain path', () => {
    for (const value of [
      '//evil.example',
      '/\\evil.example/x',
      '/%09/evil.example/tab',
      '/\t/evil.example/tab',
      '/.//evil.example',
      'https://evil.example',
      'javascript:alert(1)',
    ]) {
      expect(safeCallback(value), value).toBe('/');
    }
  });

  it('refuses what is not a string', () => {
    expect(safeCallback(null)).toBe('/');
    expect(safeCallback(undefined)).toBe('/');
    expect(safeCallback(42)).toBe('/');
  });
});
