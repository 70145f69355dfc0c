import type { Response } from 'express';
import { SESSION_COOKIE } from '../auth/authenticate.js';

export interface CookieSettings {
  /** Send the cookie over HTTPS only (COOKIE_SECURE, or PUBLIC_URL is https). */
  secure: boolean;
  maxAgeSeconds: number;
}

/**
 * The session cookie: httpOnly (page scripts, and so an XSS, cannot read it), SameSite=Lax (not
 * sent on cross-site sub-requests and form posts; the Origin check is the main CSRF defence, see
 * originGuard.ts), Path=/ (the API and the collaboration socket both need it).
 */
export function setSessionCookie(res: Response, token: string, settings: CookieSettings): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: settings.secure,
    maxAge: settings.maxAgeSeconds * 1000,
  });
}

export function clearSessionCookie(res: Response, settings: CookieSettings): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: settings.secure });
}
