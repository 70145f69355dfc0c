import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { Editor } from '@tiptap/core';
import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import { ACK_QUERY_PARAM, COLLAB_PATH_PREFIX } from '../../../shared/protocol/index.js';
import { DOCUMENT_FRAGMENT, documentExtensions } from '../../../shared/schema/index.js';
import { CARET_REDRAW_INTERVAL_MS, withoutLocalCursor, withoutRepeatedCursor } from './cursorlessAwareness.js';
import { browserFrameClock } from './frameClock.js';
import { jitteredWebSocketClass, type SocketClass } from './jitteredWebSocket.js';
import { batchRemoteWrites } from './localCopyWrites.js';
import { paintOwnInputFirst } from './ownInputFirst.js';
import { skipNodeCacheRebuildForTextChanges, skipSyncOfUnchangedDocument } from './remoteTextSync.js';
import { SaveTracker } from './saveTracker.js';

/**
 * - loading: reading what this device stored (IndexedDB);
 * - waiting: nothing stored here yet, waiting for the server's copy;
 * - ready: the editor exists;
 * - blocked: the stored content does not fit the document model; editing is off so that
 *   nothing is overwritten.
 */
export type SessionPhase = 'loading' | 'waiting' | 'ready' | 'blocked';

export interface SessionSnapshot {
  phase: SessionPhase;
  editor: Editor | null;
}

/** The account as others see it: the awareness `user` (the server stamps the same). */
export interface SessionUser {
  id: string;
  name: string;
  color: string;
}

export interface SessionOptions {
  user: SessionUser;
  /** The person may only read: no editing, no content sent, no caret shown to others. */
  readOnly: boolean;
}

/**
 * This device's copy of a document, per account: `roundtable:document:<userId>:<documentId>`.
 * Naming it by user means a second person signing in on the same browser never sees (nor
 * sends to the server as theirs) the first person's copy, including edits not yet saved;
 * those stay for when the first person signs in again. Sign-out keeps it for that reason.
 */
export function localCopyName(userId: string, documentId: string): string {
  return `roundtable:document:${userId}:${documentId}`;
}

// Before any editor exists: changes cost what they change (see remoteTextSync.ts).
skipNodeCacheRebuildForTextChanges();
skipSyncOfUnchangedDocument();

/** If IndexedDB never answers (disabled, private mode), go on without it after this long. */
const INDEXEDDB_TIMEOUT_MS = 3000;

export function collabServerUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // The provider appends `/<documentId>` itself.
  return `${scheme}//${location.host}${COLLAB_PATH_PREFIX.replace(/\/$/, '')}`;
}

/**
 * Everything one open document needs, created and torn down together so the order is always
 * right: the editor goes first (its plugins hold the awareness and the Y.Doc), then the
 * provider, the IndexedDB persistence, and the Y.Doc last.
 */
export class CollabSession {
  readonly ydoc = new Y.Doc();
  /**
   * None for a read-only session: a reader's copy would only ever be the server's, and a copy
   * left from when this person could still edit may hold changes the server will now refuse;
   * showing those merged in would misrepresent the document. A reader waits for the server.
   */
  readonly persistence: IndexeddbPersistence | null;
  readonly tracker: SaveTracker;
  readonly provider: WebsocketProvider;
  readonly readOnly: boolean;
  private snapshot: SessionSnapshot = { phase: 'loading', editor: null };
  private readonly listeners = new Set<() => void>();
  private user: SessionUser;
  private destroyed = false;
  private timeout: ReturnType<typeof setTimeout> | undefined;
  private readonly onFirstContent: () => void;
  private readonly stopBatchingWrites: (options?: { discard?: boolean }) => void = () => undefined;
  private readonly stopOwnInputFirst: () => void = () => undefined;

  constructor(
    readonly documentId: string,
    { user, readOnly }: SessionOptions,
  ) {
    this.user = { ...user };
    this.readOnly = readOnly;
    this.persistence = readOnly ? null : new IndexeddbPersistence(localCopyName(user.id, documentId), this.ydoc);
    // Created before the provider: see SaveTracker for why the order matters.
    this.tracker = new SaveTracker(this.ydoc, this.persistence ? [this.persistence] : []);
    this.provider = new WebsocketProvider(collabServerUrl(), documentId, this.ydoc, {
      connect: false,
      params: { [ACK_QUERY_PARAM]: '1' },
      // Counting (Saved acknowledgements) on top of jitter (reconnects spread out after a server
      // restart instead of arriving all at once); both leave the provider itself unchanged.
      WebSocketPolyfill: this.tracker.webSocketClass(jitteredWebSocketClass(WebSocket as unknown as SocketClass) as unknown as typeof WebSocket, { dropUpdates: readOnly }),
      // Other tabs sync through the server, not through a BroadcastChannel: the status badge
      // speaks about the server, and a tab should never look up to date because another tab
      // of the same browser was.
      disableBc: true,
    });
    this.tracker.attach(this.provider);
    if (this.persistence) this.stopBatchingWrites = batchRemoteWrites(this.persistence, this.ydoc, (origin) => origin === this.provider);
    // Others' changes wait for the frame that shows the person's keystroke (VIEW-5). A reader
    // makes no edits, so for them every change is applied at once anyway.
    if (!readOnly) {
      this.stopOwnInputFirst = paintOwnInputFirst(this.provider, {
        isLocalEdit: (origin) => origin !== this.provider && origin !== this.persistence,
      });
    }
    // The server stamps the same from the session; set locally too because CollaborationCaret
    // and the avatars read the local state before any echo comes back.
    this.provider.awareness.setLocalStateField('user', { ...this.user });

    this.onFirstContent = () => this.maybeReady();
    this.provider.on('sync', this.onFirstContent);
    this.ydoc.on('update', this.onFirstContent);

    let started = false;
    const start = (): void => {
      if (started || this.destroyed) return;
      started = true;
      clearTimeout(this.timeout);
      // Connect only once the stored edits are in the Y.Doc, so the first Step2 carries them.
      this.provider.connect();
      this.maybeReady(true);
    };
    if (this.persistence) {
      this.timeout = setTimeout(start, INDEXEDDB_TIMEOUT_MS);
      void this.persistence.whenSynced.then(start, start);
    } else {
      start();
    }
  }

  getSnapshot = (): SessionSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The person renamed themselves or changed colour: update the caret without reconnecting. */
  setUser(user: SessionUser): void {
    if (this.destroyed || (user.name === this.user.name && user.color === this.user.color)) return;
    this.user = { ...user };
    const editor = this.snapshot.editor;
    if (editor && !editor.isDestroyed) editor.commands.updateUser({ ...this.user });
    else this.provider.awareness.setLocalStateField('user', { ...this.user });
  }

  /**
   * Deletes this device's copy of the document: for when the server says the person no longer
   * has access to it (an offline copy of a draft they may not read must not stay behind).
   */
  async discardLocalCopy(): Promise<void> {
    this.stopBatchingWrites({ discard: true });
    await this.persistence?.clearData();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearTimeout(this.timeout);
    this.provider.off('sync', this.onFirstContent);
    this.ydoc.off('update', this.onFirstContent);
    this.snapshot.editor?.destroy();
    this.tracker.dispose();
    // Others' changes still held back go into the Y.Doc (and from there to the device's copy).
    this.stopOwnInputFirst();
    this.provider.destroy();
    // Received updates still waiting for their batch go to the device's copy first.
    this.stopBatchingWrites();
    void this.persistence?.destroy();
    this.ydoc.destroy();
    this.listeners.clear();
  }

  /**
   * The editor is created once the device's copy is loaded and there is something to show:
   * either content (stored here or just received) or the server's confirmation that the
   * document is what we have. Creating it over an empty Y.Doc before the server answered would
   * flash an empty page and let someone type into a document that is about to be replaced.
   */
  private maybeReady(storageLoaded = false): void {
    if (this.destroyed || this.snapshot.phase === 'ready' || this.snapshot.phase === 'blocked') return;
    if (this.snapshot.phase === 'loading' && !storageLoaded) return;
    const hasContent = this.ydoc.getXmlFragment(DOCUMENT_FRAGMENT).length > 0;
    if (hasContent || this.provider.synced) this.createEditor();
    else this.setSnapshot({ phase: 'waiting', editor: null });
  }

  private createEditor(): void {
    const editor = new Editor({
      extensions: [
        ...documentExtensions(),
        Collaboration.configure({ document: this.ydoc, field: DOCUMENT_FRAGMENT }),
        CollaborationCaret.configure({
          // A reader's selection is never published (see cursorlessAwareness.ts); they still
          // see everyone else's carets and appear among the avatars. A writer's caret is
          // published when it moves (right after the frame that shows it, VIEW-5), not again
          // after every remote keystroke.
          provider: {
            awareness: this.readOnly
              ? withoutLocalCursor(this.provider.awareness)
              : withoutRepeatedCursor(this.provider.awareness, CARET_REDRAW_INTERVAL_MS, browserFrameClock()),
          },
          user: { ...this.user },
        }),
      ],
      editable: !this.readOnly,
      // Refuse content the document model cannot represent instead of silently dropping it.
      enableContentCheck: true,
      onContentError: ({ editor: broken }) => {
        // Read-only rather than `disableCollaboration()` (which destroys the Y.Doc): the
        // person can still read and copy, and nothing they do can overwrite the content.
        broken.setEditable(false);
        this.setSnapshot({ phase: 'blocked', editor: broken });
      },
      editorProps: {
        attributes: {
          class: 'doc-body',
          'data-testid': 'editor',
          'aria-label': 'Document text',
          spellcheck: 'true',
        },
      },
    });
    // The content check can already fail while the editor renders for the first time.
    if (this.snapshot.phase !== 'blocked') this.setSnapshot({ phase: 'ready', editor });
  }

  private setSnapshot(next: SessionSnapshot): void {
    if (next.phase === this.snapshot.phase && next.editor === this.snapshot.editor) return;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}
