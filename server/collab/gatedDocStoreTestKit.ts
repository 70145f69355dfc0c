import { DocStoreLoadError } from '../storage/DocStore.js';
import { MemoryDocStore } from '../storage/memoryDocStore.js';

/** Test-only (not used by the server). */

/**
 * A memory store whose disk is "slow" on demand: while held, appends stay pending until
 * `release()`, as they would while an fsync is in flight. Lets tests look at the exact moment
 * between "applied" and "durable" without sleeping.
 */
export class GatedDocStore extends MemoryDocStore {
  held = false;
  failLoads = false;
  loads = 0;
  private waiting: Array<() => void> = [];

  override async load(docId: string): Promise<Uint8Array[]> {
    this.loads++;
    if (this.failLoads) throw new DocStoreLoadError(docId, 'snapshot checksum mismatch');
    return super.load(docId);
  }

  override async append(docId: string, update: Uint8Array): Promise<void> {
    await super.append(docId, update);
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    this.held = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  get pending(): number {
    return this.waiting.length;
  }
}
