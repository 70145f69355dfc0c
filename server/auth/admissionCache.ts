import type { Principal } from './authenticate.js';

/** What a principal may do on one document, as decided at an upgrade. */
export interface DocumentDecision {
  groupId: string;
  access: 'edit' | 'read';
}

/** Taken before the look-ups whose result is remembered: a result is kept only if nothing changed meanwhile. */
export interface AdmissionTicket {
  readonly version: number;
  readonly epoch: number;
}

export interface AdmissionCacheOptions {
  /** The metadata store's change counter (MetaStore.version): entries are valid only while it is unchanged. */
  version: () => number;
  /** Access events (accessEvents.ts): each one empties the cache. */
  events?: { on(listener: () => void): () => void };
  /** How long a decision is reused at most; default 10 s. */
  ttlMs?: number;
  /** Credentials remembered at once (the oldest is dropped beyond); default 10,000. */
  maxCredentials?: number;
  /** Documents remembered per credential (its list is emptied beyond); default 1,000. */
  maxDocumentsPerCredential?: number;
  now?: () => number;
}

interface CredentialEntry {
  principal: Principal;
  version: number;
  epoch: number;
  /** Never later than the credential's own expiry. */
  validUntil: number;
  documents: Map<string, DocumentDecision>;
}

/**
 * Upgrade decisions of the collaboration server, remembered for a few seconds per credential
 * (its SHA-256, never the secret) and document, so that a burst of sockets — a restart with many
 * open tabs, a meeting starting — does not repeat the same session → user → document →
 * membership look-ups for every socket (docs/SECURITY.md, "Cached upgrade decisions").
 *
 * Exactness does not depend on the TTL. A decision is a function of the stored metadata, the
 * credential and the clock, and an entry is used only while all three still say the same:
 * - the store's version is the one the look-ups started from (every committed change — a session
 *   deleted, a user deactivated or promoted, a membership removed or changed, a document's state
 *   changed — makes every entry stale at once; a look-up that overlapped a change is not kept);
 * - no access event was emitted since (the events are announced after the change is stored, and
 *   stay the invalidation signal if the store ever lives in another process);
 * - the credential has not expired (an entry never outlives its session) and the TTL has not run.
 * Only admissions are remembered; a refused upgrade is looked up afresh every time.
 */
export class AdmissionCache {
  private readonly entries = new Map<string, CredentialEntry>();
  private epoch = 0;
  private readonly ttlMs: number;
  private readonly maxCredentials: number;
  private readonly maxDocuments: number;
  private readonly now: () => number;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: AdmissionCacheOptions) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.maxCredentials = options.maxCredentials ?? 10_000;
    this.maxDocuments = options.maxDocumentsPerCredential ?? 1000;
    this.now = options.now ?? Date.now;
    this.unsubscribe = options.events?.on(() => this.clear()) ?? (() => {});
  }

  /** Call before the look-ups whose results will be passed to `remember`. */
  ticket(): AdmissionTicket {
    return { version: this.options.version(), epoch: this.epoch };
  }

  /** The principal for a credential hash, and its decision on `docId` when one is known; undefined when not cached. */
  lookup(credentialKey: string, docId: string): { principal: Principal; decision: DocumentDecision | undefined } | undefined {
    const entry = this.entries.get(credentialKey);
    if (!entry) return undefined;
    if (entry.version !== this.options.version() || entry.epoch !== this.epoch || this.now() >= entry.validUntil) {
      this.entries.delete(credentialKey);
      return undefined;
    }
    return { principal: entry.principal, decision: entry.documents.get(docId) };
  }

  /** Keeps a principal (and its admission to `docId`, when given) if nothing changed since `ticket`. */
  remember(ticket: AdmissionTicket, credentialKey: string, principal: Principal, docId?: string, decision?: DocumentDecision): void {
    if (ticket.version !== this.options.version() || ticket.epoch !== this.epoch) return;
    let entry = this.entries.get(credentialKey);
    if (!entry || entry.version !== ticket.version || entry.epoch !== ticket.epoch || entry.principal !== principal) {
      const expiresAt = principal.expiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(principal.expiresAt);
      const validUntil = Math.min(this.now() + this.ttlMs, expiresAt);
      if (!(validUntil > this.now())) return;
      entry = { principal, version: ticket.version, epoch: ticket.epoch, validUntil, documents: new Map() };
      this.entries.delete(credentialKey);
      this.entries.set(credentialKey, entry);
      if (this.entries.size > this.maxCredentials) this.entries.delete(this.entries.keys().next().value!);
    }
    if (docId === undefined || decision === undefined) return;
    if (entry.documents.size >= this.maxDocuments) entry.documents.clear();
    entry.documents.set(docId, decision);
  }

  /** Forgets everything (an access event, or a test). */
  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Stops listening to access events. */
  close(): void {
    this.unsubscribe();
    this.clear();
  }
}
