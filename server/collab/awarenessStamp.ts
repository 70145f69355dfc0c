import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Who a connection speaks for: stamped by the server onto every awareness state it sends. */
export interface AwarenessIdentity {
  id: string;
  name: string;
  color: string;
}

export interface StampedAwareness {
  update: Uint8Array;
  /** False when the update was already exactly right: the received bytes can be relayed as they are. */
  changed: boolean;
}

function isStamped(user: unknown, identity: AwarenessIdentity): boolean {
  if (typeof user !== 'object' || user === null) return false;
  const keys = Object.keys(user);
  const candidate = user as Record<string, unknown>;
  return keys.length === 3 && candidate.id === identity.id && candidate.name === identity.name && candidate.color === identity.color;
}

/**
 * Rewrites an awareness update (y-protocols/awareness encoding: count, then per entry clientID,
 * clock, JSON state) so that every state carries `user: identity`, and drops entries for client
 * ids the sender may not speak for (`mayUse`) and states that are not objects. The rest of each
 * state (cursor, selection…) is kept. Resolves to null when no entry is left.
 *
 * Stock clients put their own `user` field there; the server's version wins, so nobody can show
 * up under someone else's name or colour. When every entry already carries exactly the stamp (a
 * client that publishes what /api/me told it), the update is returned unchanged, so the room can
 * relay the received frame without re-encoding it. With `identity` null (in-process harnesses
 * without accounts) states are kept as sent and only ownership is enforced. Throws on a
 * malformed update.
 */
export function stampAwarenessUpdate(update: Uint8Array, identity: AwarenessIdentity | null, mayUse: (clientId: number) => boolean): StampedAwareness | null {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const kept: Array<{ clientId: number; clock: number; json: string }> = [];
  let changed = false;
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    const state: unknown = JSON.parse(json);
    if (!mayUse(clientId)) {
      changed = true;
      continue;
    }
    if (state === null || identity === null) {
      kept.push({ clientId, clock, json });
    } else if (typeof state !== 'object' || Array.isArray(state)) {
      changed = true;
    } else if (isStamped((state as Record<string, unknown>).user, identity)) {
      kept.push({ clientId, clock, json });
    } else {
      changed = true;
      kept.push({ clientId, clock, json: JSON.stringify({ ...state, user: { id: identity.id, name: identity.name, color: identity.color } }) });
    }
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the awareness update');
  if (kept.length === 0) return null;
  if (!changed) return { update, changed: false };
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const entry of kept) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return { update: encoding.toUint8Array(encoder), changed: true };
}
