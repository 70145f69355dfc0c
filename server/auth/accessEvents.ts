import { EventEmitter } from 'node:events';

/**
 * Something that may change what open connections are allowed to do. The fields narrow which
 * connections are affected (all given fields must match); the collaboration server re-checks
 * those connections against the stored state, so an event never has to say what the new rights
 * are — it only says where to look.
 */
export interface AccessChange {
  /** Connections of this user. */
  userId?: string;
  /** Connections to documents of this group. */
  groupId?: string;
  /** Connections opened with one of these sessions (ids are session hashes). */
  sessionIds?: readonly string[];
  /** Connections opened with this API token. */
  tokenId?: string;
  /** For the log: what happened. */
  reason: string;
}

export type AccessListener = (change: AccessChange) => void;

/**
 * In-process notifications from the services (membership, user, session and token changes) to
 * the collaboration server, which closes or downgrades affected sockets. One process holds all
 * sockets today; with several processes this becomes a pub/sub channel with the same payload.
 */
export class AccessEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Listeners are few (one collab server, tests); the default warning at 10 would be noise.
    this.emitter.setMaxListeners(50);
  }

  emit(change: AccessChange): void {
    this.emitter.emit('change', change);
  }

  /** Subscribes; returns the function that unsubscribes. */
  on(listener: AccessListener): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
