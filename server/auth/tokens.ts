import { randomUUID } from 'node:crypto';
import type { TokenScope, TokenView } from '../../shared/domain/index.js';
import type { StoredToken, TokenStore } from '../storage/AccountStore.js';
import type { AccessEvents } from './accessEvents.js';
import { SECRET_PATTERN, newSecret, sha256Hex } from './secrets.js';

/** Personal API tokens look like `rt_<43 base64url characters>`; the prefix makes leaks greppable. */
export const TOKEN_PREFIX = 'rt_';

export function looksLikeToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && SECRET_PATTERN.test(value.slice(TOKEN_PREFIX.length));
}

export function toTokenView(token: StoredToken, secret?: string): TokenView {
  return {
    id: token.id,
    name: token.name,
    scope: token.scope,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt,
    ...(secret === undefined ? {} : { secret }),
  };
}

export interface TokenServiceOptions {
  store: TokenStore;
  events: AccessEvents;
  now?: () => Date;
  touchIntervalMs?: number;
}

/**
 * Personal API tokens for scripts: shown once, stored as SHA-256, revocable. A token acts as its
 * owner (scope `full`) or as its owner limited to reading (`read`); it never has more rights
 * than the owner has at the moment it is used, because rights are looked up per request.
 */
export class TokenService {
  private readonly now: () => Date;
  private readonly touchIntervalMs: number;

  constructor(private readonly options: TokenServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.touchIntervalMs = options.touchIntervalMs ?? 5 * 60_000;
  }

  async create(userId: string, name: string, scope: TokenScope): Promise<{ token: StoredToken; secret: string }> {
    const secret = `${TOKEN_PREFIX}${newSecret()}`;
    const token: StoredToken = { id: randomUUID(), userId, name, scope, hash: sha256Hex(secret), createdAt: this.now().toISOString(), lastUsedAt: null };
    await this.options.store.insertToken(token);
    return { token, secret };
  }

  list(userId: string): Promise<StoredToken[]> {
    return this.options.store.listTokens(userId);
  }

  /** Revokes one of `userId`'s tokens; resolves to it, or undefined when there is no such token of theirs. */
  async revoke(userId: string, tokenId: string): Promise<StoredToken | undefined> {
    const removed = await this.options.store.deleteToken(tokenId, userId);
    if (removed) this.options.events.emit({ tokenId: removed.id, reason: 'token revoked' });
    return removed;
  }

  /** The token for a bearer secret, or undefined. */
  async resolve(secret: string): Promise<StoredToken | undefined> {
    if (!looksLikeToken(secret)) return undefined;
    return this.byHash(sha256Hex(secret));
  }

  async byHash(hash: string): Promise<StoredToken | undefined> {
    const token = await this.options.store.getTokenByHash(hash);
    if (!token) return undefined;
    const now = this.now();
    if (token.lastUsedAt === null || now.getTime() - Date.parse(token.lastUsedAt) >= this.touchIntervalMs) {
      token.lastUsedAt = now.toISOString();
      this.options.store.touchToken(token.id, token.lastUsedAt).catch(() => undefined);
    }
    return token;
  }
}
