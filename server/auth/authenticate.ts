import type { IncomingHttpHeaders } from 'node:http';
import type { TokenScope } from '../../shared/domain/index.js';
import type { StoredUser, UserStore } from '../storage/AccountStore.js';
import { SECRET_PATTERN } from './secrets.js';
import type { SessionService } from './sessions.js';
import type { TokenService } from './tokens.js';

/** Name of the session cookie (httpOnly, SameSite=Lax; see sessionCookie.ts). */
export const SESSION_COOKIE = 'rt_session';

/** Who is making a request or holding a socket, and with which credential. */
export interface Principal {
  user: StoredUser;
  via: 'session' | 'token';
  /** Sessions are always `full`; tokens carry their own scope. */
  scope: TokenScope;
  /** The session id (hash) or the token id. */
  credentialId: string;
  /** SHA-256 of the credential, to look it up again when rights change. */
  credentialHash: string;
  /** When the credential stops working (sessions); null when it does not expire (tokens). */
  expiresAt: string | null;
}

/** `none`: no credential was sent. `invalid`: one was sent but is unknown, expired, revoked or its user deactivated. */
export type AuthResult = { principal: Principal } | { principal: null; reason: 'none' | 'invalid' };

/** Reads one cookie from a Cookie header without a dependency; values are not decoded (ours are base64url). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** The bearer secret of an Authorization header, or undefined when there is none. */
export function readBearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
}

/**
 * Turns request headers into a Principal: a bearer token when an Authorization header is sent
 * (scripts; a bad one is refused rather than falling back to a cookie, so a script never acts
 * with someone's browser session by accident), else the session cookie. The same code serves
 * HTTP requests and WebSocket upgrades.
 */
export class Authenticator {
  constructor(
    private readonly deps: { users: UserStore; sessions: SessionService; tokens: TokenService },
  ) {}

  async authenticate(headers: IncomingHttpHeaders): Promise<AuthResult> {
    const bearer = readBearer(headers.authorization);
    if (bearer !== undefined) {
      const principal = bearer === '' ? null : await this.fromToken(bearer);
      return principal ? { principal } : { principal: null, reason: 'invalid' };
    }
    const cookie = readCookie(headers.cookie, SESSION_COOKIE);
    if (cookie === undefined) return { principal: null, reason: 'none' };
    const principal = SECRET_PATTERN.test(cookie) ? await this.fromSession(cookie) : null;
    return principal ? { principal } : { principal: null, reason: 'invalid' };
  }

  /** The same credential looked up again (after a change): null when it no longer works. */
  async refresh(principal: Principal): Promise<Principal | null> {
    if (principal.via === 'session') {
      const session = await this.deps.sessions.byId(principal.credentialHash);
      return session ? this.withUser(session.userId, { ...principal, expiresAt: session.expiresAt }) : null;
    }
    const token = await this.deps.tokens.byHash(principal.credentialHash);
    return token ? this.withUser(token.userId, { ...principal, scope: token.scope }) : null;
  }

  private async fromSession(cookie: string): Promise<Principal | null> {
    const session = await this.deps.sessions.resolve(cookie);
    if (!session) return null;
    return this.withUser(session.userId, {
      via: 'session',
      scope: 'full',
      credentialId: session.id,
      credentialHash: session.id,
      expiresAt: session.expiresAt,
    });
  }

  private async fromToken(secret: string): Promise<Principal | null> {
    const token = await this.deps.tokens.resolve(secret);
    if (!token) return null;
    return this.withUser(token.userId, { via: 'token', scope: token.scope, credentialId: token.id, credentialHash: token.hash, expiresAt: null });
  }

  /** A deactivated user's sessions and tokens do not work (tokens come back on reactivation). */
  private async withUser(userId: string, rest: Omit<Principal, 'user'>): Promise<Principal | null> {
    const user = await this.deps.users.getUser(userId);
    if (!user || !user.active) return null;
    return { ...rest, user };
  }
}
