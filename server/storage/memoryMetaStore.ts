import type { Outcome } from './accountData.js';
import { copyData } from './copyData.js';
import { MetaStoreBase } from './metaStoreBase.js';
import { emptyMetaData, type MetaData } from './metaData.js';

/**
 * MetaStore kept in process memory: for tests and throw-away servers. It follows the same rules
 * as the durable adapter (shared in metaData.ts, accountData.ts and MetaStoreBase) and hands out
 * copies, so a caller mutating a returned object cannot change the store behind its back.
 */
export class MemoryMetaStore extends MetaStoreBase {
  private readonly data: MetaData;
  private writes = 0;

  constructor(initial: MetaData = emptyMetaData()) {
    super();
    this.data = copyData(initial);
  }

  /** Every write counts, applied or refused: a spurious change only costs a cache miss. */
  get version(): number {
    return this.writes;
  }

  protected async read<T>(fn: (data: MetaData) => T): Promise<T> {
    return copyData(fn(this.data));
  }

  // The rules validate before they mutate, so applying in place is all or nothing.
  protected async write<T>(fn: (draft: MetaData) => Outcome<T>): Promise<T> {
    this.writes++;
    return copyData(fn(this.data).result);
  }

  /** Nothing to release; the data lives as long as the object, so a "reopen" is the same store. */
  async close(): Promise<void> {}
}
