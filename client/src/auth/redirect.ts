/**
 * Where to go after signing in. The target travels in the sign-in page's `?next=` parameter,
 * which anyone can write into a link, so it is only ever followed when it is a path on this
 * site: otherwise a phishing link to our real sign-in page could send people on to a look-alike
 * site right after they typed their password (an "open redirect").
 */

export const SIGN_IN_PATH = '/sign-in';
export const NEXT_PARAM = 'next';
const MAX_LENGTH = 2048;
const HOME = '/';

/**
 * `raw` as a same-origin path (pathname + search + hash), or '/' when it is anything else:
 * absent, absolute (`https://…`), protocol-relative (`//host`), a backslash trick (`/\host`,
 * which browsers read as `//host`), a scheme (`javascript:`), control characters, or the
 * sign-in page itself (which would loop).
 */
export function safeReturnPath(raw: string | null | undefined): string {
  if (!raw || raw.length > MAX_LENGTH) return HOME;
  if (!raw.startsWith('/') || raw.startsWith('//')) return HOME;
  // Browsers treat `\` like `/` in http(s) URLs and drop tabs and newlines: refuse both.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return HOME;
  let url: URL;
  const base = 'https://roundtable.invalid';
  try {
    url = new URL(raw, base);
  } catch {
    return HOME;
  }
  // Belt and braces: whatever the parser made of it must still be on our origin.
  if (url.origin !== base) return HOME;
  if (url.pathname === SIGN_IN_PATH || url.pathname.startsWith(`${SIGN_IN_PATH}/`)) return HOME;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page's address that comes back to `returnTo` afterwards. */
export function signInHref(returnTo: string): string {
  const target = safeReturnPath(returnTo);
  return target === HOME ? SIGN_IN_PATH : `${SIGN_IN_PATH}?${NEXT_PARAM}=${encodeURIComponent(target)}`;
}
