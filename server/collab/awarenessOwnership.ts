/**
 * Which connection may speak for which awareness client id in one room. The first peer that
 * announces a client id owns it until it leaves; nobody else may set or remove that state, and
 * one peer may own at most `maxPerPeer` ids (the stock provider uses one per socket, so the cap
 * only stops a hostile client from filling the room with invented states).
 */
export class AwarenessOwnership<P> {
  private readonly byPeer = new Map<P, Set<number>>();
  private readonly owners = new Map<number, P>();

  constructor(private readonly maxPerPeer: number) {}

  join(peer: P): void {
    this.byPeer.set(peer, new Set());
  }

  /** True for a peer that joined and has not left (its awareness messages are its own). */
  has(peer: unknown): boolean {
    return this.byPeer.has(peer as P);
  }

  /**
   * May `peer` speak for `clientId`? Claims an unowned id for it while it is under the cap.
   * False for a peer that is not in the room.
   */
  claim(peer: P, clientId: number): boolean {
    const owned = this.byPeer.get(peer);
    if (!owned) return false;
    const owner = this.owners.get(clientId);
    if (owner !== undefined) return owner === peer;
    if (owned.size >= this.maxPerPeer) return false;
    this.owners.set(clientId, peer);
    owned.add(clientId);
    return true;
  }

  /** Forgets `peer`; returns the client ids it owned, whose states must now be removed. */
  leave(peer: P): number[] {
    const owned = this.byPeer.get(peer);
    this.byPeer.delete(peer);
    if (!owned) return [];
    for (const id of owned) this.owners.delete(id);
    return [...owned];
  }
}
