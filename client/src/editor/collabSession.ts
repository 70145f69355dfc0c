import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { Editor } from '@tiptap/core';
import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import { ACK_QUERY_PARAM, COLLAB_PATH_PREFIX } from '../../../shared/protocol/index.js';
import { DOCUMENT_FRAGMENT, documentExtensions } from '../../../shared/schema/index.js';
import type { Identity } from '../identity/identity.js';
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
  readonly persistence: IndexeddbPersistence;
  readonly tracker: SaveTracker;
  readonly provider: WebsocketProvider;
  private snapshot: SessionSnapshot = { phase: 'loading', editor: null };
  private readonly listeners = new Set<() => void>();
  private identity: Identity;
  private destroyed = false;
  private timeout: ReturnType<typeof setTimeout> | undefined;
  private readonly onFirstContent: () => void;

  constructor(readonly documentId: string, identity: Identity) {
    this.identity = identity;
    this.persistence = new IndexeddbPersistence(`roundtable:document:${documentId}`, this.ydoc);
    // Created before the provider: see SaveTracker for why the order matters.
    this.tracker = new SaveTracker(this.ydoc, [this.persistence]);
    this.provider = new WebsocketProvider(collabServerUrl(), documentId, this.ydoc, {
      connect: false,
      params: { [ACK_QUERY_PARAM]: '1' },
      WebSocketPolyfill: this.tracker.webSocketClass(WebSocket),
      // Other tabs sync through the server, not through a BroadcastChannel: the status badge
      // speaks about the server, and a tab should never look up to date because another tab
      // of the same browser was.
      disableBc: true,
    });
    this.tracker.attach(this.provider);
    this.provider.awareness.setLocalStateField('user', { ...identity });

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
    this.timeout = setTimeout(start, INDEXEDDB_TIMEOUT_MS);
    void this.persistence.whenSynced.then(start, start);
  }

  getSnapshot = (): SessionSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  setIdentity(identity: Identity): void {
    if (this.destroyed || (identity.name === this.identity.name && identity.color === this.identity.color)) return;
    this.identity = identity;
    const editor = this.snapshot.editor;
    if (editor && !editor.isDestroyed) editor.commands.updateUser({ ...identity });
    else this.provider.awareness.setLocalStateField('user', { ...identity });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearTimeout(this.timeout);
    this.provider.off('sync', this.onFirstContent);
    this.ydoc.off('update', this.onFirstContent);
    this.snapshot.editor?.destroy();
    this.tracker.dispose();
    this.provider.destroy();
    void this.persistence.destroy();
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
        CollaborationCaret.configure({ provider: this.provider, user: { ...this.identity } }),
      ],
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
