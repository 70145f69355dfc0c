import { Low } from 'lowdb';
import type { Logger } from '../logger.js';
import type { Outcome } from './accountData.js';
import { copyData } from './copyData.js';
import { DurableJsonFile } from './durableJsonFile.js';
import { MetaStoreBase } from './metaStoreBase.js';
import { emptyMetaData, parseMetaData, type MetaData } from './metaData.js';

interface PendingChange {
  /** Applies the change to the draft (all or nothing); `changed: false` needs no write. */
  apply(draft: MetaData): { result: unknown; changed: boolean };
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/**
 * The embedded MetaStore: lowdb over one JSON file (`${DATA_DIR}/meta.json`) written through
 * DurableJsonFile, for a single writer process.
 *
 * `db.data` only ever holds what is durable. Changes are applied to a draft copy; changes that
 * arrive while a write is in flight are coalesced into the next draft and share one write (group
 * commit). Only when that write is on disk does the draft become `db.data` and its callers
 * resolve; if it fails, every change in it rejects and `db.data` is untouched, so readers never
 * see a change that could be lost. (This is why we do not call `db.write()`: it writes whatever
 * `db.data` is, which would have to expose the draft to readers first.)
 */
export class LowdbMetaStore extends MetaStoreBase {
  private queue: PendingChange[] = [];
  private draining: Promise<void> | undefined;
  private closed = false;
  /** Batches made visible to readers so far (see MetaStore.version). */
  private committedChanges = 0;

  private constructor(
    private readonly db: Low<MetaData>,
    private readonly file: DurableJsonFile<MetaData>,
    private readonly logger: Logger,
  ) {
    super();
  }

  /** Loads `file`; throws MetaStoreCorruptError when it exists but cannot be read. */
  static async open({ file, logger }: { file: string; logger: Logger }): Promise<LowdbMetaStore> {
    const adapter = new DurableJsonFile(file, parseMetaData);
    await adapter.removeStaleTempFiles();
    const db = new Low<MetaData>(adapter, emptyMetaData());
    const existing = await adapter.read();
    if (existing) {
      db.data = existing;
    } else {
      // Create the file now so a read-only or missing data directory fails at startup, not on
      // the first edit someone makes.
      await adapter.write(db.data);
    }
    logger.info({ file, groups: db.data.groups.length, documents: db.data.documents.length, users: db.data.users.length }, 'metadata loaded');
    return new LowdbMetaStore(db, adapter, logger);
  }

  get version(): number {
    return this.committedChanges;
  }

  protected async read<T>(fn: (data: MetaData) => T): Promise<T> {
    return copyData(fn(this.committed()));
  }

  protected async write<T>(fn: (draft: MetaData) => Outcome<T>): Promise<T> {
    // Copied inside apply, before the draft can be changed by a later change of the same batch.
    const result = await this.change((draft) => {
      const outcome = fn(draft);
      return { result: copyData(outcome.result), changed: outcome.changed };
    });
    return result as T;
  }

  /** Waits for every accepted change to be written; later calls reject. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.draining) await this.draining;
  }

  private committed(): MetaData {
    if (this.closed) throw new Error('The metadata store is closed.');
    return this.db.data;
  }

  private change(apply: PendingChange['apply']): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('The metadata store is closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ apply, resolve, reject });
      this.startDraining();
    });
  }

  private startDraining(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      // A change queued after drain() saw an empty queue but before this callback ran would
      // otherwise wait forever.
      if (this.queue.length > 0) this.startDraining();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      const draft = copyData(this.db.data);
      const accepted: Array<{ change: PendingChange; result: unknown }> = [];
      let changed = false;
      for (const change of batch) {
        try {
          // apply() validates before mutating, so a refused change leaves the draft as it was
          // and only its own caller sees the error.
          const outcome = change.apply(draft);
          accepted.push({ change, result: outcome.result });
          changed ||= outcome.changed;
        } catch (error) {
          change.reject(error);
        }
      }
      if (!changed) {
        for (const { change, result } of accepted) change.resolve(result);
        continue;
      }
      try {
        await this.file.write(draft);
        this.db.data = draft;
        this.committedChanges++;
        for (const { change, result } of accepted) change.resolve(result);
      } catch (error) {
        // Nothing of this batch is visible; callers get the error (HTTP turns it into a 500) and
        // may retry. The file still holds the previous state (or, if only the directory fsync
        // failed, this one — the next successful write rewrites the whole file anyway).
        this.logger.error({ err: error, changes: accepted.length }, 'metadata write failed');
        for (const { change } of accepted) change.reject(error);
      }
    }
  }
}
