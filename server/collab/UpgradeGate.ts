import type { IncomingMessage } from 'node:http';
import type { AwarenessIdentity } from './awarenessStamp.js';

/**
 * What a socket is allowed to do on its document, decided at the upgrade and re-decided when
 * rights change. The sync server knows only this shape; who decides, and how, lives in
 * server/auth (collabGate.ts).
 */
export interface Grant {
  docId: string;
  groupId: string;
  userId: string;
  /** Stamped onto every awareness state the socket sends. */
  identity: AwarenessIdentity;
  /** 'read' sockets may sync and show presence, never change the document. */
  access: 'edit' | 'read';
  /** The credential the socket was opened with, so revoking it finds the socket. */
  credential: { via: 'session' | 'token'; id: string };
  /** When the credential expires (sessions), or null. */
  expiresAt: string | null;
}

export type Admission = { ok: true; grant: Grant } | { ok: false; status: 401 | 403 | 404; code: string; message: string };

/**
 * `same`: nothing that matters changed (the grant may carry a new name or colour).
 * `changed`: still allowed in, with other rights (reconnect to get them).
 * `revoked`: no longer allowed to see the document. `ended`: the credential no longer works.
 */
export type Recheck = { kind: 'same' | 'changed'; grant: Grant } | { kind: 'revoked' | 'ended' };

export interface UpgradeGate {
  /** Checks Origin, credentials and the right on `docId`, before any WebSocket exists. */
  admit(req: IncomingMessage, docId: string): Promise<Admission>;
  /** Looks again at a socket's grant against the stored state. */
  recheck(grant: Grant): Promise<Recheck>;
}

/** A change to rights, narrowed to the sockets it may affect (all given fields must match). */
export interface AccessChangeFilter {
  userId?: string;
  groupId?: string;
  sessionIds?: readonly string[];
  tokenId?: string;
  reason: string;
}

export function grantMatches(grant: Grant, change: AccessChangeFilter): boolean {
  if (change.userId !== undefined && grant.userId !== change.userId) return false;
  if (change.groupId !== undefined && grant.groupId !== change.groupId) return false;
  if (change.sessionIds !== undefined && !(grant.credential.via === 'session' && change.sessionIds.includes(grant.credential.id))) return false;
  if (change.tokenId !== undefined && !(grant.credential.via === 'token' && grant.credential.id === change.tokenId)) return false;
  return true;
}
