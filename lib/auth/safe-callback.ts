/**
 * Where a browser may go after signing in: a path on the console itself, nothing else (an open
 * redirect would lend the console's name to a phishing page).
 *
 * Browsers read a URL more loosely than a prefix check does: they drop tabs and newlines, treat
 * `\` as `/`, and resolve `/.//host` to `//host`. So the value is resolved the way a browser
 * would, against a placeholder origin, and only a result on that origin survives, rewritten from
 * its parsed parts. Anything with a control character or a backslash is refused outright: no
 * honest link has one.
 */
const BASE = 'http://dbdeck.invalid';
// Control characters (C0, DEL, C1) and backslashes.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\]/;

export function safeCallback(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return '/';
  if (UNSAFE.test(value)) return '/';
  // The path once more, percent-decoded: something down the line may decode it before a browser
  // reads it (`/%5Cevil.example`, `/%09/evil.example`).
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(value.split(/[?#]/, 1)[0]!);
  } catch {
    return '/';
  }
  if (UNSAFE.test(decodedPath) || decodedPath.startsWith('//')) return '/';
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil.example` resolves to the path `//evil.example`: a browser would leave the site.
  return path.startsWith('/') && !path.startsWith('//') ? path : '/';
}
