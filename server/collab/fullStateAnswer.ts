import { SyncMessageType, encodeSyncMessage, encodeUpdateMessage } from '../../shared/protocol/index.js';
import type { UpdateMerger } from './loadPlanner.js';

/**
 * Updates kept after the base before they are folded into it (in the load worker). A fresh
 * client receives them as Update messages before its Step2, and Yjs keeps each aside until the
 * Step2 arrives, re-trying the pending ones with every message: a hundred small ones cost
 * little. Each fold merges the whole document in the worker (~0.1–0.3 s of CPU for 2.7 MB), so
 * a document being typed into is folded every ~10 s, not every few keystrokes.
 */
export const FOLD_AFTER_UPDATES = 128;
/** …or this many bytes of them, whichever comes first. */
export const FOLD_AFTER_BYTES = 256 * 1024;
/**
 * …or, once the document has been quiet this long, whatever there is: a document at rest is
 * then answered with one Step2, which a client applies fastest.
 */
export const FOLD_WHEN_QUIET_MS = 2_000;
/** A document smaller than this is simply encoded again when asked for (a few ms at most). */
export const TRACK_FROM_BYTES = 64 * 1024;

/**
 * The answer to an empty state vector (a fresh client opening the document), kept so that the
 * main thread never encodes a large document for it (LOAD-7).
 *
 * It is the whole document as one Step2 when that is known (just loaded from one record, merged,
 * encoded, or compacted). After changes it is `base` — an update holding the whole document at
 * some point — and the updates applied since, sent as Update messages *before* the Step2 of the
 * base: Yjs keeps them aside until what they build on arrives, so the client holds the whole
 * document when its Step2 arrives, as with a single message. When the updates since the base
 * reach FOLD_AFTER_UPDATES or FOLD_AFTER_BYTES, or the document has been quiet for
 * FOLD_WHEN_QUIET_MS, they are merged into it in the load worker.
 * Documents smaller than TRACK_FROM_BYTES keep no base: re-encoding them is cheap.
 */
export class FullStateAnswer {
  /** `[Sync][Step2][whole document]`, or null when changes came after it. */
  private whole: Uint8Array | null = null;
  private base: Uint8Array | null = null;
  /** `[Sync][Step2][base]`, made once per base. */
  private baseStep2: Uint8Array | null = null;
  /** The updates applied since `base`, as `[Sync][Update]` messages, and their raw updates. */
  private since: Array<{ message: Uint8Array; update: Uint8Array }> = [];
  private sinceBytes = 0;
  /** Bumped whenever the base is replaced, so that a fold that finishes late is dropped. */
  private generation = 0;
  private folding = false;
  private quietTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly merge: UpdateMerger | null,
    private readonly onFoldError: (error: unknown) => void,
  ) {}

  /** `update` is the whole document now. */
  setWhole(update: Uint8Array): void {
    this.whole = encodeSyncMessage(SyncMessageType.Step2, update);
    this.setBase(update, []);
    this.baseStep2 = this.base === null ? null : this.whole;
  }

  /** The whole document now is `base` and the `updates` after it (stored records: a snapshot and the log after it). */
  setStored(base: Uint8Array, updates: readonly Uint8Array[]): void {
    this.whole = null;
    this.setBase(base, updates, true);
  }

  /** The document changed by `update` (`message` is its `[Sync][Update]`, as broadcast). */
  changed(update: Uint8Array, message: Uint8Array): void {
    this.whole = null;
    if (this.base === null) return;
    if (this.merge === null) {
      // Nothing can fold the updates into the base: encode the document when next asked.
      this.setBase(null, []);
      return;
    }
    this.since.push({ message, update });
    this.sinceBytes += update.byteLength;
    if (this.since.length >= FOLD_AFTER_UPDATES || this.sinceBytes >= FOLD_AFTER_BYTES) this.fold();
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => {
      this.quietTimer = null;
      if (this.since.length > 0) this.fold();
    }, FOLD_WHEN_QUIET_MS);
    this.quietTimer.unref();
  }

  /** The room is gone: no fold is started any more, and one that finishes is dropped. */
  dispose(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = null;
    this.setBase(null, []);
  }

  /** The document changed, and the change is not known yet as a message (it is in the batch being collected). */
  invalidate(): void {
    this.whole = null;
  }

  /**
   * What to send a fresh client, in order, or null when nothing is kept (encode the document).
   * Updates of the current turn that are not flushed yet are not in it: the client gets them in
   * the broadcast that ends the turn, like every peer.
   */
  messages(): Uint8Array[] | null {
    if (this.whole !== null) return [this.whole];
    if (this.base === null) return null;
    this.baseStep2 ??= encodeSyncMessage(SyncMessageType.Step2, this.base);
    return [...this.since.map((entry) => entry.message), this.baseStep2];
  }

  /**
   * The whole document as of the last flushed change, as updates (the base, then the updates
   * since), or null when no base is kept. A compaction builds its snapshot from them (COMPACT-1).
   */
  updates(): Uint8Array[] | null {
    if (this.base === null) return null;
    return [this.base, ...this.since.map((entry) => entry.update)];
  }

  private setBase(base: Uint8Array | null, updates: readonly Uint8Array[], force = false): void {
    this.generation++;
    this.folding = false;
    this.baseStep2 = null;
    const tracked = base !== null && (force || (this.merge !== null && base.byteLength >= TRACK_FROM_BYTES));
    this.base = tracked ? base : null;
    this.since = tracked ? updates.map((update) => ({ message: encodeUpdateMessage(update), update })) : [];
    this.sinceBytes = this.since.reduce((sum, entry) => sum + entry.update.byteLength, 0);
  }

  private fold(): void {
    if (this.folding || this.merge === null || this.base === null) return;
    this.folding = true;
    const generation = this.generation;
    const folded = this.since.length;
    this.merge([this.base, ...this.since.map((entry) => entry.update)]).then(
      (merged) => {
        if (generation !== this.generation) return;
        this.folding = false;
        this.base = merged;
        this.baseStep2 = null;
        this.since = this.since.slice(folded);
        this.sinceBytes = this.since.reduce((sum, entry) => sum + entry.update.byteLength, 0);
        if (this.since.length === 0 && this.whole === null) this.whole = this.baseStep2 = encodeSyncMessage(SyncMessageType.Step2, merged);
        if (this.since.length >= FOLD_AFTER_UPDATES || this.sinceBytes >= FOLD_AFTER_BYTES || (this.since.length > 0 && this.quietTimer === null)) this.fold();
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        // Keep answering from what is known; the next fresh client gets an encoding instead.
        this.setBase(null, []);
        this.onFoldError(error);
      },
    );
  }
}
