import * as Y from 'yjs';

/**
 * The document updates a Room applied within one event-loop turn. They leave the server
 * together: one merged broadcast message, encoded once for every peer, and one log record, so a
 * burst of N updates costs one encode, one send per peer and one append instead of N of each.
 * `durable` resolves once the record holding them is durable; every update of the batch is
 * acknowledged through it.
 */
export class UpdateBatch {
  private readonly updates: Uint8Array[] = [];
  private readonly origins = new Set<unknown>();
  private bytes = 0;
  private settleWith!: (appended: Promise<void>) => void;
  readonly durable: Promise<void>;

  constructor() {
    this.durable = new Promise<void>((resolve, reject) => {
      this.settleWith = (appended) => appended.then(resolve, reject);
    });
    // Whoever waits on it handles the failure (the Room logs it once); never an unhandled rejection.
    this.durable.catch(() => undefined);
  }

  add(update: Uint8Array, origin: unknown): void {
    this.updates.push(update);
    this.origins.add(origin);
    this.bytes += update.byteLength;
  }

  get size(): number {
    return this.updates.length;
  }

  get byteLength(): number {
    return this.bytes;
  }

  /** One update equivalent to all of them (the update itself when there is only one). */
  merged(): Uint8Array {
    return this.updates.length === 1 ? this.updates[0]! : Y.mergeUpdates(this.updates);
  }

  /**
   * The peer that sent every update of the batch, which does not need them back; undefined when
   * several peers contributed: they then get the merged message too, their own updates included,
   * which Yjs ignores (as the reference server's echo is ignored). One message encoded once beats
   * a separate encoding per contributor.
   */
  soleOrigin(): unknown {
    return this.origins.size === 1 ? this.origins.values().next().value : undefined;
  }

  /** Ties `durable` to the append of the merged record. */
  settle(appended: Promise<void>): void {
    this.settleWith(appended);
  }
}
