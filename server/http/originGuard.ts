import type { RequestHandler } from 'express';
import { ApiErrorCode } from '../../shared/domain/index.js';
import { SESSION_COOKIE, readCookie } from '../auth/authenticate.js';
import type { OriginPolicy } from '../auth/originPolicy.js';
import type { Logger } from '../logger.js';
import { isStateChanging } from './authContext.js';
import { HttpError } from './errors.js';

/**
 * Origin allow-list and CSRF protection for every state-changing request (POST, PUT, PATCH,
 * DELETE), before anything else looks at it:
 *
 * 1. An `Origin` header that is not in the allow-list: 403 ORIGIN_NOT_ALLOWED, for everybody
 *    (`Origin: null` from sandboxed frames included).
 * 2. No `Origin` but `Sec-Fetch-Site` (sent by every current browser): only `same-origin` and
 *    `none` (typed by the person) pass; `same-site`/`cross-site` get 403 CSRF_FAILED.
 * 3. Neither header: a browser did not send this (browsers send Origin on every non-GET fetch
 *    and form post), so it is a script. Scripts authenticate with a bearer token, which a
 *    browser never attaches by itself; a request that would be authenticated by the session
 *    cookie is refused with 403 CSRF_FAILED, so ambient cookies alone can never change anything.
 *
 * SameSite=Lax on the cookie is a second, independent layer; see docs/SECURITY.md.
 */
export function originGuard(origins: OriginPolicy, logger: Logger): RequestHandler {
  return (req, _res, next) => {
    if (!isStateChanging(req.method)) {
      next();
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (origins.allows(origin)) {
        next();
        return;
      }
      logger.warn({ origin, method: req.method, url: req.originalUrl }, 'request from an origin that is not allowed (set PUBLIC_URL or ALLOWED_ORIGINS if this is your own address)');
      next(new HttpError(403, ApiErrorCode.OriginNotAllowed, `Requests from ${origin} are not allowed. If this is the address of this Roundtable, ask the operator to set PUBLIC_URL or ALLOWED_ORIGINS.`));
      return;
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined) {
      if (site === 'same-origin' || site === 'none') next();
      else next(new HttpError(403, ApiErrorCode.CsrfFailed, 'This request came from another site and was refused.'));
      return;
    }
    const usesCookie = req.headers.authorization === undefined && readCookie(req.headers.cookie, SESSION_COOKIE) !== undefined;
    if (usesCookie) {
      next(new HttpError(403, ApiErrorCode.CsrfFailed, 'A change made with a session cookie must come from a Roundtable page (the Origin header is missing). Scripts should use an API token.'));
      return;
    }
    next();
  };
}
