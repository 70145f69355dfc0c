import * as Y from 'yjs';
import { ProsemirrorBinding } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import { EditorState } from '@tiptap/pm/state';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { documentExtensions } from '../../../shared/schema/index.js';
import { changesTextOnly, skipSyncOfUnchangedDocument } from './remoteTextSync.js';

/** A document shaped like Tiptap's: fragment → paragraph → text. */
function documentWith(paragraphs: string[]): { doc: Y.Doc; fragment: Y.XmlFragment } {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('default');
  fragment.insert(
    0,
    paragraphs.map((text) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(text)]);
      return p;
    }),
  );
  return { doc, fragment };
}

/** Whether the transaction of `change` counts as text-only. */
function classify(doc: Y.Doc, change: () => void): boolean {
  let result: boolean | null = null;
  const onAfter = (transaction: Y.Transaction): void => {
    result = changesTextOnly(transaction);
  };
  doc.on('afterTransaction', onAfter);
  doc.transact(change);
  doc.off('afterTransaction', onAfter);
  if (result === null) throw new Error('no transaction');
  return result;
}

const textOf = (fragment: Y.XmlFragment, index: number): Y.XmlText => (fragment.get(index) as Y.XmlElement).get(0) as Y.XmlText;

describe('changesTextOnly', () => {
  it('VIEW-1: typing, deleting and formatting text, and changing a block attribute, are text-only', () => {
    const { doc, fragment } = documentWith(['first', 'second', 'third']);
    expect(classify(doc, () => textOf(fragment, 1).insert(6, ' line'))).toBe(true);
    expect(classify(doc, () => textOf(fragment, 2).delete(0, 2))).toBe(true);
    expect(classify(doc, () => textOf(fragment, 0).format(0, 5, { bold: {} }))).toBe(true);
    expect(classify(doc, () => (fragment.get(0) as Y.XmlElement).setAttribute('textAlign', 'left'))).toBe(true);
    // Several paragraphs in one transaction (a merged remote update) are still text-only.
    expect(
      classify(doc, () => {
        textOf(fragment, 0).insert(0, 'a');
        textOf(fragment, 2).insert(0, 'b');
      }),
    ).toBe(true);
  });

  it('VIEW-1: adding, removing or moving a block, or an inline node, is structural', () => {
    const { doc, fragment } = documentWith(['first', 'second', 'third']);
    expect(classify(doc, () => fragment.insert(1, [new Y.XmlElement('paragraph')]))).toBe(false);
    expect(classify(doc, () => fragment.delete(1, 1))).toBe(false);
    // A move is a delete plus an insert.
    expect(
      classify(doc, () => {
        const moved = new Y.XmlElement('paragraph');
        moved.insert(0, [new Y.XmlText(textOf(fragment, 0).toString())]);
        fragment.delete(0, 1);
        fragment.insert(1, [moved]);
      }),
    ).toBe(false);
    // A hard break inside a paragraph is an element next to the text.
    expect(classify(doc, () => (fragment.get(0) as Y.XmlElement).insert(1, [new Y.XmlElement('hardBreak')]))).toBe(false);
    // Removing a paragraph together with typing elsewhere is structural as a whole.
    expect(
      classify(doc, () => {
        textOf(fragment, 0).insert(0, 'x');
        fragment.delete(1, 1);
      }),
    ).toBe(false);
  });

  it('VIEW-1: the y-tiptap binding still has what the patch relies on (its node cache and _typeChanged)', () => {
    const { fragment } = documentWith(['first']);
    const binding = new ProsemirrorBinding(fragment) as unknown as { mapping: unknown; _typeChanged: unknown };
    expect(binding.mapping).toBeInstanceOf(Map);
    expect(typeof binding._typeChanged).toBe('function');
    // The full rebuild the patch skips for text-only changes is still there to skip.
    expect(String(binding._typeChanged)).toContain('mapping.clear()');
    expect(typeof (binding as unknown as { _prosemirrorChanged: unknown })._prosemirrorChanged).toBe('function');
  });
});

describe('skipSyncOfUnchangedDocument', () => {
  it('VIEW-1: writes each new editor document to the Y.Doc, and the same document object only once', () => {
    skipSyncOfUnchangedDocument();
    const schema = getSchema(documentExtensions());
    const { doc: ydoc, fragment } = documentWith([]);
    const binding = new ProsemirrorBinding(fragment) as unknown as {
      prosemirrorView: unknown;
      _prosemirrorChanged(doc: ProseMirrorNode): void;
    };
    const first = schema.node('doc', null, [schema.node('paragraph', null, [schema.text('one')])]);
    binding.prosemirrorView = { state: EditorState.create({ schema, doc: first }) };
    let transactions = 0;
    ydoc.on('afterTransaction', () => transactions++);
    const sync = (doc: ProseMirrorNode): void => ydoc.transact(() => binding._prosemirrorChanged(doc));
    sync(first);
    expect(fragment.toString()).toBe('<paragraph>one</paragraph>');
    const updates: Uint8Array[] = [];
    ydoc.on('update', (update: Uint8Array) => updates.push(update));
    sync(first);
    expect(updates).toHaveLength(0);
    const second = schema.node('doc', null, [schema.node('paragraph', null, [schema.text('one two')])]);
    binding.prosemirrorView = { state: EditorState.create({ schema, doc: second }) };
    sync(second);
    expect(fragment.toString()).toBe('<paragraph>one two</paragraph>');
    expect(updates).toHaveLength(1);
    expect(transactions).toBe(3);
  });
});
