import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../shared/schema/fragment.js';

/**
 * ProseMirror JSON → Yjs update, without ProseMirror. It builds exactly the Yjs types that
 * y-tiptap's `prosemirrorJSONToYDoc` builds through the document schema (element per node with
 * its attributes, defaults filled in and nulls left out; one XmlText per run of text with each
 * mark as a formatting attribute), so the editor shows the same document; contentEncoder.test.ts
 * checks that against the real schema for every template and seed document.
 *
 * Why not simply call y-tiptap: it needs the Tiptap/ProseMirror schema, ~7 MB of code and heap
 * in a server that otherwise never touches ProseMirror, loaded at every start because the
 * workspace is seeded and documents are created from templates. The server's memory at rest is
 * one of the numbers Roundtable competes on (docs/PERFORMANCE.md).
 */

/**
 * Attributes of the schema's nodes and marks with their defaults, in schema order; a type absent
 * here has no attributes. Kept equal to shared/schema by contentEncoder.test.ts.
 */
export const NODE_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  paragraph: {},
  blockquote: {},
  bulletList: {},
  codeBlock: { language: null },
  doc: {},
  hardBreak: {},
  heading: { level: 1 },
  horizontalRule: {},
  listItem: {},
  orderedList: { start: 1, type: null },
};

/** Marks in schema rank order (ProseMirror sorts a text node's marks by it). */
export const MARK_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  link: { href: null, target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null },
  bold: {},
  code: {},
  italic: {},
  strike: {},
  underline: {},
};
const MARK_RANK = new Map(Object.keys(MARK_ATTRIBUTES).map((name, rank) => [name, rank]));

/** A ProseMirror node's attributes: the schema's, given values first, defaults for the rest. */
function attributesOf(defaults: Readonly<Record<string, unknown>>, given: Record<string, unknown> | undefined): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  for (const [key, fallback] of Object.entries(defaults)) attrs[key] = given?.[key] !== undefined ? given[key] : fallback;
  return attrs;
}

function markAttributes(marks: JSONContent['marks']): Record<string, unknown> {
  const known = (marks ?? []).map((mark) => {
    const rank = MARK_RANK.get(mark.type);
    const defaults = MARK_ATTRIBUTES[mark.type];
    if (rank === undefined || defaults === undefined) throw new Error(`unknown mark type "${mark.type}"`);
    return { rank, name: mark.type, attrs: attributesOf(defaults, mark.attrs) };
  });
  known.sort((a, b) => a.rank - b.rank);
  const formatting: Record<string, unknown> = {};
  for (const mark of known) formatting[mark.name] = mark.attrs;
  return formatting;
}

/** The Yjs types for a node's children: consecutive text nodes share one XmlText. */
function childTypes(node: JSONContent): Array<Y.XmlElement | Y.XmlText> {
  const types: Array<Y.XmlElement | Y.XmlText> = [];
  let run: JSONContent[] = [];
  const endRun = (): void => {
    if (run.length === 0) return;
    const text = new Y.XmlText();
    text.applyDelta(run.map((part) => ({ insert: part.text ?? '', attributes: markAttributes(part.marks) })));
    types.push(text);
    run = [];
  };
  for (const child of node.content ?? []) {
    if (child.type === 'text') {
      // ProseMirror refuses empty text nodes; a template must not contain one.
      if (!child.text) throw new Error('empty text node');
      run.push(child);
      continue;
    }
    endRun();
    types.push(elementOf(child));
  }
  endRun();
  return types;
}

function elementOf(node: JSONContent): Y.XmlElement {
  const type = node.type;
  const defaults = type === undefined ? undefined : NODE_ATTRIBUTES[type];
  if (type === undefined || defaults === undefined || type === 'doc') throw new Error(`unknown or misplaced node type "${String(type)}"`);
  const element = new Y.XmlElement(type);
  for (const [key, value] of Object.entries(attributesOf(defaults, node.attrs))) {
    if (value !== null) element.setAttribute(key, value as string);
  }
  element.insert(0, childTypes(node));
  return element;
}

/**
 * Encodes ProseMirror JSON (a `doc` node) as one Yjs update of the document fragment. Throws on
 * node or mark types the schema does not have; the structure itself (what may contain what) is
 * checked against the real schema by the tests of every template.
 */
export function contentToUpdate(json: JSONContent): Uint8Array {
  if (json.type !== 'doc') throw new Error(`content must be a doc node, not "${String(json.type)}"`);
  const ydoc = new Y.Doc();
  try {
    const children = childTypes(json);
    ydoc.getXmlFragment(DOCUMENT_FRAGMENT).insert(0, children);
    return Y.encodeStateAsUpdate(ydoc);
  } finally {
    ydoc.destroy();
  }
}
