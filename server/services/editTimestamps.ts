import type { MetaStore } from '../storage/MetaStore.js';
import type { Logger } from '../logger.js';

/**
 * Records "last edited" on documents without a metadata write per keystroke: edits mark the
 * document, and marked documents are written at most once per interval (and on close).
 */
export class EditTimestamps {
  private readonly dirty = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly meta: MetaStore,
    private readonly logger: Logger,
    intervalMs = 2_000,
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
      for (const id of ids) {
        try {
          await this.meta.updateDocument(id, { updatedAt });
        } catch (error) {
          this.logger.warn({ err: error, docId: id }, 'could not record last-edited time');
        }
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
