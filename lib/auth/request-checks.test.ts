import { describe, expect, it } from 'vitest';
import { crossSiteReason, mediaTypeOf, readCappedText } from './request-checks';

const headers = (values: Record<string, string>) => new Headers(values);

describe('where a cookie-carrying request comes from', () => {
  it('the console itself, a navigation the user started, or no browser at all: allowed', () => {
    expect(crossSiteReason(headers({ 'sec-fetch-site': 'same-origin', origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }))).toBeNull();
    expect(crossSiteReason(headers({ 'sec-fetch-site': 'none' }))).toBeNull();
    expect(crossSiteReason(headers({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }))).toBeNull();
    expect(crossSiteReason(headers({ origin: 'https://console.example.com', host: 'internal:3000', 'x-forwarded-host': 'console.example.com' }))).toBeNull();
    expect(crossSiteReason(headers({ host: '127.0.0.1:3000' }))).toBeNull();
  });

  it('another port, a sibling subdomain, another site, an opaque origin: refused, saying why', () => {
    expect(crossSiteReason(headers({ 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:4000', host: '127.0.0.1:3000' }))).toBe(
      'Sec-Fetch-Site is "same-site"',
    );
    expect(crossSiteReason(headers({ 'sec-fetch-site': 'cross-site' }))).toBe('Sec-Fetch-Site is "cross-site"');
    // A browser that sends only Origin.
    expect(crossSiteReason(headers({ origin: 'http://127.0.0.1:4000', host: '127.0.0.1:3000' }))).toBe('Origin is "http://127.0.0.1:4000"');
    expect(crossSiteReason(headers({ origin: 'https://evil.console.example.com', host: 'console.example.com' }))).toBe(
      'Origin is "https://evil.console.example.com"',
    );
    expect(crossSiteReason(headers({ origin: 'null', host: '127.0.0.1:3000' }))).toBe('Origin is "null"');
    // Sec-Fetch-Site can't be forged by a page, and it wins over an Origin that happens to match.
    expect(crossSiteReason(headers({ 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }))).toBe(
      'Sec-Fetch-Site is "same-site"',
    );
  });
});

describe('content types', () => {
  it('are compared by their exact media type', () => {
    expect(mediaTypeOf('application/json')).toBe('application/json');
    expect(mediaTypeOf('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(mediaTypeOf('text/plain; x=application/json')).toBe('text/plain');
    expect(mediaTypeOf('application/json-seq')).toBe('application/json-seq');
    expect(mediaTypeOf('application/x-www-form-urlencoded; application/json')).toBe('application/x-www-form-urlencoded');
    expect(mediaTypeOf(null)).toBeNull();
  });
});

describe('reading a body', () => {
  const post = (body: BodyInit, init: Record<string, string> = {}) =>
    new Request('http://x/', { method: 'POST', body, headers: init, duplex: 'half' } as RequestInit);

  it('refuses a declared length over the cap without reading a byte', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    expect(await readCappedText(post(stream, { 'content-length': String(50 * 1024 * 1024) }), 64 * 1024)).toMatchObject({ ok: false, status: 413 });
    expect(pulled).toBeLessThanOrEqual(1); // a stream may prefetch one chunk on creation
  });

  it('stops an undeclared (chunked) body as soon as it passes the cap', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16 * 1024));
      },
    });
    expect(await readCappedText(post(endless), 64 * 1024)).toMatchObject({ ok: false, status: 413 });
    expect(pulled).toBeLessThan(10);
  });

  it('reads a small body, and refuses bytes that are not UTF-8', async () => {
    expect(await readCappedText(post('{"to":"x"}'), 64 * 1024)).toEqual({ ok: true, text: '{"to":"x"}' });
    expect(await readCappedText(new Request('http://x/', { method: 'POST' }), 64 * 1024)).toEqual({ ok: true, text: '' });
    expect(await readCappedText(post(new Uint8Array([0x7b, 0xff, 0x7d])), 64 * 1024)).toMatchObject({ ok: false, status: 400 });
  });
});
