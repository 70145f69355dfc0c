import type { MetaStore } from '../storage/MetaStore.js';
import type { Logger } from '../logger.js';

/**
 * How often edited documents get their "last edited" time written. The embedded MetaStore
 * rewrites and fsyncs the whole metadata file on every write (tens of kB, growing with accounts
 * and activity), so the interval, not the typing rate, decides what the bookkeeping costs: at
 * 10 s it adds well under one byte written per byte typed in a busy workspace, where 2 s with one
 * write per document made metadata 95 % of everything written (docs/PERFORMANCE.md). The time is
 * for display; a crash loses at most this much of it, never content.
 */
export const EDIT_TIMESTAMP_INTERVAL_MS = 10_000;

/**
 * Records "last edited" on documents without a metadata write per keystroke: edits mark the
 * document, and every marked document is written in ONE metadata write per interval (and on
 * close), however many documents were edited.
 */
export class EditTimestamps {
  private readonly dirty = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly meta: Pick<MetaStore, 'updateDocuments'>,
    private readonly logger: Logger,
    intervalMs = EDIT_TIMESTAMP_INTERVAL_MS,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  readonly touch = (docId: string): void => {
    this.dirty.add(docId);
  };

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.dirty.size === 0) return;
      const ids = [...this.dirty];
      this.dirty.clear();
      const updatedAt = this.now().toISOString();
      try {
        await this.meta.updateDocuments(ids.map((documentId) => ({ documentId, patch: { updatedAt } })));
      } catch (error) {
        // Marked again, so the next interval retries (the time written will be that one's).
        for (const id of ids) this.dirty.add(id);
        this.logger.warn({ err: error, documents: ids.length }, 'could not record last-edited times');
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
