import type { IncomingMessage } from 'node:http';
import type { Admission, Grant, Recheck, UpgradeGate } from '../collab/UpgradeGate.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { documentAccessFor } from './access.js';
import type { AdmissionCache, DocumentDecision } from './admissionCache.js';
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
 *
 * Steps 2–4 may be answered from the AdmissionCache, which is exact (it is dropped on every
 * metadata change and access event, and never outlives the credential); re-checks always read
 * the store.
 */
export class CollabGate implements UpgradeGate {
  /** The principal behind each grant, to look it up again on a re-check. */
  private readonly principals = new WeakMap<Grant, Principal>();

  constructor(
    private readonly deps: {
      authenticator: Authenticator;
      meta: MetaStore;
      origins: OriginPolicy;
      /** Recent admissions (admissionCache.ts); every upgrade is looked up in full without it. */
      cache?: AdmissionCache;
    },
  ) {}

  async admit(req: IncomingMessage, docId: string): Promise<Admission> {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.deps.origins.allows(origin)) {
      return { ok: false, status: 403, code: 'ORIGIN_NOT_ALLOWED', message: `Connections from ${origin} are not allowed.` };
    }
    const credential = this.deps.authenticator.credentialOf(req.headers);
    if (credential.kind !== 'presented') return UNAUTHENTICATED;
    const { cache } = this.deps;
    const key = `${credential.via}:${credential.hash}`;
    const cached = cache?.lookup(key, docId);
    // Taken before any look-up, so that a result that overlapped a change is not remembered.
    const ticket = cache?.ticket();
    const principal = cached?.principal ?? (await this.deps.authenticator.principalFor(credential));
    if (!principal) return UNAUTHENTICATED;
    if (origin === undefined && principal.via === 'session') {
      return { ok: false, status: 403, code: 'ORIGIN_NOT_ALLOWED', message: 'A browser connection must send its Origin; scripts should use an API token.' };
    }
    if (cached?.decision) return { ok: true, grant: this.grant(principal, docId, cached.decision) };
    const decision = await this.decide(principal, docId);
    if (cache && ticket) cache.remember(ticket, key, principal, docId, decision ?? undefined);
    if (!decision) return { ok: false, status: 404, code: 'NOT_FOUND', message: 'No such document.' };
    return { ok: true, grant: this.grant(principal, docId, decision) };
  }

  async recheck(grant: Grant): Promise<Recheck> {
    const previous = this.principals.get(grant);
    const principal = previous ? await this.deps.authenticator.refresh(previous) : null;
    if (!principal) return { kind: 'ended' };
    const decision = await this.decide(principal, grant.docId);
    if (!decision) return { kind: 'revoked' };
    const next = this.grant(principal, grant.docId, decision);
    return { kind: next.access === grant.access ? 'same' : 'changed', grant: next };
  }

  /** The principal's access to one document from the stored metadata; null when none (or no such document). */
  private async decide(principal: Principal, docId: string): Promise<DocumentDecision | null> {
    const document = await this.deps.meta.getDocument(docId);
    if (!document) return null;
    const access = await documentAccessFor(this.deps.meta, principal, document);
    if (access === 'none') return null;
    return { groupId: document.groupId, access };
  }

  /** A fresh Grant per socket (a re-check replaces a socket's grant; grants are never shared). */
  private grant(principal: Principal, docId: string, decision: DocumentDecision): Grant {
    const { user } = principal;
    const grant: Grant = {
      docId,
      groupId: decision.groupId,
      userId: user.id,
      identity: { id: user.id, name: user.name, color: user.color },
      access: decision.access,
      credential: { via: principal.via, id: principal.credentialId },
      expiresAt: principal.expiresAt,
    };
    this.principals.set(grant, principal);
    return grant;
  }
}

const UNAUTHENTICATED: Admission = { ok: false, status: 401, code: 'UNAUTHENTICATED', message: 'Sign in to open this document.' };
