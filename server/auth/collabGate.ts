import type { IncomingMessage } from 'node:http';
import type { Admission, Grant, Recheck, UpgradeGate } from '../collab/UpgradeGate.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { documentAccessFor } from './access.js';
import type { Authenticator, Principal } from './authenticate.js';
import type { OriginPolicy } from './originPolicy.js';

/**
 * Decides WebSocket upgrades at `/collab/<documentId>` (before any socket exists) and re-decides
 * them when rights change:
 *
 * 1. `Origin` present and not allowed → 403 ORIGIN_NOT_ALLOWED (cross-site WebSocket hijacking:
 *    a page elsewhere cannot open a socket with the person's cookie).
 * 2. No valid session cookie or bearer token → 401 UNAUTHENTICATED.
 * 3. No `Origin` with a cookie → 403 ORIGIN_NOT_ALLOWED: every browser sends Origin on a
 *    WebSocket handshake, so only scripts omit it, and scripts use bearer tokens.
 * 4. The document is unknown or not visible to the principal → 404 NOT_FOUND (same answer).
 */
export class CollabGate implements UpgradeGate {
  /** The principal behind each grant, to look it up again on a re-check. */
  private readonly principals = new WeakMap<Grant, Principal>();

  constructor(private readonly deps: { authenticator: Authenticator; meta: MetaStore; origins: OriginPolicy }) {}

  async admit(req: IncomingMessage, docId: string): Promise<Admission> {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.deps.origins.allows(origin)) {
      return { ok: false, status: 403, code: 'ORIGIN_NOT_ALLOWED', message: `Connections from ${origin} are not allowed.` };
    }
    const auth = await this.deps.authenticator.authenticate(req.headers);
    if (!auth.principal) return { ok: false, status: 401, code: 'UNAUTHENTICATED', message: 'Sign in to open this document.' };
    if (origin === undefined && auth.principal.via === 'session') {
      return { ok: false, status: 403, code: 'ORIGIN_NOT_ALLOWED', message: 'A browser connection must send its Origin; scripts should use an API token.' };
    }
    const grant = await this.grantFor(auth.principal, docId);
    if (!grant) return { ok: false, status: 404, code: 'NOT_FOUND', message: 'No such document.' };
    return { ok: true, grant };
  }

  async recheck(grant: Grant): Promise<Recheck> {
    const previous = this.principals.get(grant);
    const principal = previous ? await this.deps.authenticator.refresh(previous) : null;
    if (!principal) return { kind: 'ended' };
    const next = await this.grantFor(principal, grant.docId);
    if (!next) return { kind: 'revoked' };
    return { kind: next.access === grant.access ? 'same' : 'changed', grant: next };
  }

  private async grantFor(principal: Principal, docId: string): Promise<Grant | null> {
    const document = await this.deps.meta.getDocument(docId);
    if (!document) return null;
    const access = await documentAccessFor(this.deps.meta, principal, document);
    if (access === 'none') return null;
    const { user } = principal;
    const grant: Grant = {
      docId,
      groupId: document.groupId,
      userId: user.id,
      identity: { id: user.id, name: user.name, color: user.color },
      access,
      credential: { via: principal.via, id: principal.credentialId },
      expiresAt: principal.expiresAt,
    };
    this.principals.set(grant, principal);
    return grant;
  }
}
