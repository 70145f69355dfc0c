import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiErrorCode } from '../../shared/domain/index.js';
import type { Authenticator, AuthResult, Principal } from '../auth/authenticate.js';
import { HttpError, unauthenticated } from './errors.js';

/**
 * Authentication for the REST API: every /api request is authenticated once (cookie or bearer)
 * and the result kept on `res.locals`; routes then ask for what they need. Anonymous requests
 * are not refused here, because a few routes are public (sign-in, invitation pages).
 */

const KEY = 'auth';

export function authenticateRequests(authenticator: Authenticator): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.locals[KEY] = await authenticator.authenticate(req.headers);
      next();
    } catch (error) {
      next(error);
    }
  };
}

function resultOf(res: Response): AuthResult {
  return (res.locals[KEY] as AuthResult | undefined) ?? { principal: null, reason: 'none' };
}

/** The signed-in principal, or null for an anonymous request. */
export function principalOf(res: Response): Principal | null {
  return resultOf(res).principal;
}

/** The signed-in principal; a 401 UNAUTHENTICATED for anyone else. */
export function requirePrincipal(res: Response): Principal {
  const principal = principalOf(res);
  if (!principal) throw unauthenticated();
  return principal;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for methods that change state: POST, PUT, PATCH, DELETE (and anything unknown). */
export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * A read-only token can never change anything, whatever route it is sent to and whatever its
 * owner could do (403 READ_ONLY_TOKEN). Checked once for the whole API, so a new route cannot
 * forget it.
 */
export const refuseReadOnlyWrites: RequestHandler = (req, res, next) => {
  const principal = principalOf(res);
  if (principal?.scope === 'read' && isStateChanging(req.method)) {
    next(new HttpError(403, ApiErrorCode.ReadOnlyToken, 'This API token is read-only: it can read but not change anything.'));
    return;
  }
  next();
};
