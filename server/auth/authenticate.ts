import type { IncomingHttpHeaders } from 'node:http';
import type { TokenScope } from '../../shared/domain/index.js';
import type { StoredUser, UserStore } from '../storage/AccountStore.js';
import { SECRET_PATTERN, sha256Hex } from './secrets.js';
import type { SessionService } from './sessions.js';
import { looksLikeToken, type TokenService } from './tokens.js';

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

/** A well-formed credential from the request, as its SHA-256 (sessions are stored by it, tokens looked up by it). */
export interface PresentedCredential {
  kind: 'presented';
  via: 'session' | 'token';
  hash: string;
}

/** `none`: nothing was sent; `invalid`: something malformed was sent (refused without a lookup). */
export type Credential = PresentedCredential | { kind: 'none' | 'invalid' };

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
    const credential = this.credentialOf(headers);
    if (credential.kind !== 'presented') return { principal: null, reason: credential.kind };
    const principal = await this.principalFor(credential);
    return principal ? { principal } : { principal: null, reason: 'invalid' };
  }

  /**
   * Which credential the headers carry, without looking it up: a bearer token when an
   * Authorization header is sent, else the session cookie. Only well-formed secrets are hashed;
   * the hash (never the secret) is what callers may keep.
   */
  credentialOf(headers: IncomingHttpHeaders): Credential {
    const bearer = readBearer(headers.authorization);
    if (bearer !== undefined) {
      return looksLikeToken(bearer) ? { kind: 'presented', via: 'token', hash: sha256Hex(bearer) } : { kind: 'invalid' };
    }
    const cookie = readCookie(headers.cookie, SESSION_COOKIE);
    if (cookie === undefined) return { kind: 'none' };
    return SECRET_PATTERN.test(cookie) ? { kind: 'presented', via: 'session', hash: sha256Hex(cookie) } : { kind: 'invalid' };
  }

  /** The principal behind a presented credential, or null (unknown, expired, revoked, user deactivated). */
  async principalFor(credential: PresentedCredential): Promise<Principal | null> {
    return credential.via === 'session' ? this.fromSession(credential.hash) : this.fromToken(credential.hash);
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

  private async fromSession(hash: string): Promise<Principal | null> {
    const session = await this.deps.sessions.byId(hash);
    if (!session) return null;
    return this.withUser(session.userId, {
      via: 'session',
      scope: 'full',
      credentialId: session.id,
      credentialHash: session.id,
      expiresAt: session.expiresAt,
    });
  }

  private async fromToken(hash: string): Promise<Principal | null> {
    const token = await this.deps.tokens.byHash(hash);
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
