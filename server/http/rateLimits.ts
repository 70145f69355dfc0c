import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { ApiErrorCode } from '../../shared/domain/index.js';
import type { RateLimitConfig } from '../config.js';
import { principalOf } from './authContext.js';
import { sendError } from './errors.js';

/**
 * Limits on the routes where guessing pays: sign-in (passwords), password changes, and the
 * invitation routes (account creation). Counters live in memory, per process: a restart resets
 * them, which is acceptable for a single-process server. Behind a reverse proxy, set TRUST_PROXY
 * so that `req.ip` is the client's address rather than the proxy's.
 */

function clientAddress(req: Request): string {
  // IPv6 clients are grouped by /56, since one client usually controls a whole prefix.
  return ipKeyGenerator(req.ip ?? 'unknown');
}

function emailOf(req: Request): string {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : '';
}

function limiter(windowMinutes: number, limit: number, key: (req: Request) => string, extra: Partial<Options> = {}): RequestHandler {
  return rateLimit({
    windowMs: windowMinutes * 60_000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (req, res) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : windowMinutes * 60;
      res.setHeader('Retry-After', String(seconds));
      sendError(res, 429, ApiErrorCode.RateLimited, `Too many attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).`);
    },
    ...extra,
  });
}

export interface RateLimiters {
  /** Per address and email, failed attempts only (SIGNIN_RATE_LIMIT per window). */
  signInPerAccount: RequestHandler;
  /** Per address, failed attempts only: ten times the per-account limit, against spraying many emails. */
  signInPerAddress: RequestHandler;
  /** Per user, failed current-password checks. */
  passwordChange: RequestHandler;
  invitePreview: RequestHandler;
  inviteAccept: RequestHandler;
}

/** One set per app: each limiter keeps its own counters. */
export function createRateLimiters(config: RateLimitConfig): RateLimiters {
  const failuresOnly = { skipSuccessfulRequests: true };
  return {
    signInPerAccount: limiter(config.windowMinutes, config.signIn, (req) => `${clientAddress(req)}|${emailOf(req)}`, failuresOnly),
    signInPerAddress: limiter(config.windowMinutes, config.signIn * 10, clientAddress, failuresOnly),
    passwordChange: limiter(config.windowMinutes, config.signIn, (req) => principalOf(req.res!)?.user.id ?? clientAddress(req), failuresOnly),
    invitePreview: limiter(config.windowMinutes, config.invites, clientAddress),
    inviteAccept: limiter(config.windowMinutes, config.invites, clientAddress),
  };
}
