import * as Y from 'yjs';
import { ProsemirrorBinding } from '@tiptap/y-tiptap';

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
}

let installed = false;

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
 * Patches the prototype because the binding is created inside Tiptap's Collaboration extension;
 * it must run before the first editor is created (the binding binds `_typeChanged` in its
 * constructor). Checked against y-tiptap 3.0.9 by remoteTextSync.test.ts: a version that no
 * longer has `_typeChanged` or the cache fails it.
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
