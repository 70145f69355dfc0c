import * as Y from 'yjs';
import { ProsemirrorBinding } from '@tiptap/y-tiptap';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

/*
 * Two patches to y-tiptap 3.0.9's ProsemirrorBinding (the object that keeps the editor and the
 * Y.Doc in step) so that a change costs what it changes, not the size of the document (issue 5).
 * They patch the prototype because the binding is created inside Tiptap's Collaboration
 * extension; they must run before the first editor is created (the binding binds its observer
 * in its constructor). remoteTextSync.test.ts fails if y-tiptap no longer has what they rely on.
 */

/**
 * True when a Yjs transaction changed only text (characters, inline formatting) or attributes:
 * no block or inline node was added, removed or moved, so every ProseMirror node of a type it
 * did not touch keeps its size and position.
 *
 * A child-list change of an element or of the fragment shows up in `transaction.changed` as the
 * key `null` on a non-text type; removing a node deletes an item whose content is a type.
 */
export function changesTextOnly(transaction: Y.Transaction): boolean {
  for (const [type, keys] of transaction.changed) {
    if (!(type instanceof Y.XmlText) && keys.has(null)) return false;
  }
  let removedNode = false;
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentType) removedNode = true;
  });
  return !removedNode;
}

interface BindingInternals {
  mapping: Map<unknown, unknown>;
  _typeChanged(events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction): void;
  _prosemirrorChanged(doc: ProseMirrorNode): void;
}

let installed = false;
let installedUnchanged = false;
/** Per binding: the last editor document written to (or already matching) the Y.Doc. */
const syncedDocs = new WeakMap<object, ProseMirrorNode>();

/**
 * Makes a remote keystroke cost what it changed, not the size of the document (issue 5).
 *
 * y-tiptap 3.0.9's `ProsemirrorBinding._typeChanged` (which applies every remote Yjs change to
 * the editor) forgets the types the change touched — enough to rebuild exactly their nodes — and
 * then also clears its whole Y↔ProseMirror node cache, "so relative cursor positions resolve
 * against current node sizes after structural changes (e.g. drag-and-drop block moves)". With
 * the cache empty it rebuilds every block of the document from Yjs, and ProseMirror's view,
 * given new node objects, compares every block's content to the old one to find what to keep:
 * in a 50-page document that was ~2 ms of CPU per remote keystroke, most of the browser's work
 * while ten people typed.
 *
 * A change that touches only text leaves every other node's size as it was, and the types it
 * did touch (and their ancestors) are dropped from the cache by the binding itself; the full
 * clear is skipped for such changes only. Structural changes — the case the clear is for — go
 * through y-tiptap's code unchanged.
 *
 */
export function skipNodeCacheRebuildForTextChanges(): void {
  if (installed) return;
  installed = true;
  const proto = ProsemirrorBinding.prototype as unknown as BindingInternals;
  const original = proto._typeChanged;
  if (typeof original !== 'function') return;
  proto._typeChanged = function (this: BindingInternals, events, transaction) {
    if (!changesTextOnly(transaction)) {
      original.call(this, events, transaction);
      return;
    }
    const cache = this.mapping;
    // An own property shadows Map.prototype.clear for the duration of the call only.
    Object.defineProperty(cache, 'clear', { value: () => undefined, configurable: true, writable: true });
    try {
      original.call(this, events, transaction);
    } finally {
      delete (cache as { clear?: unknown }).clear;
    }
  };
}

/**
 * Skips writing the editor's document to the Y.Doc when it is the very document last written.
 *
 * y-tiptap's sync plugin calls `_prosemirrorChanged(doc)` after every editor transaction, also
 * those that change nothing in the document (a remote caret moved, a selection changed), and
 * it walks every block to compare it with the Y.Doc: ~1 ms per remote caret move in a 50-page
 * document. ProseMirror documents are immutable, so the same object as last time means nothing
 * to write. The first call after a remote change still runs (the editor's new document came
 * from the Y.Doc and is compared once); every document the person produces is a new object.
 */
export function skipSyncOfUnchangedDocument(): void {
  if (installedUnchanged) return;
  installedUnchanged = true;
  const proto = ProsemirrorBinding.prototype as unknown as BindingInternals;
  const original = proto._prosemirrorChanged;
  if (typeof original !== 'function') return;
  proto._prosemirrorChanged = function (this: BindingInternals, doc) {
    if (syncedDocs.get(this) === doc) return;
    original.call(this, doc);
    syncedDocs.set(this, doc);
  };
}
