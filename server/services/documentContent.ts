import type { JSONContent } from '@tiptap/core';

/**
 * Server-side construction of document content. Initial content (templates, seed documents) is
 * only ever written here, as a Yjs update, through the one document schema: if two clients each
 * inserted a template into an empty document, Yjs would merge both copies.
 */

/** Inline text: a plain string, or a run with marks. */
export type InlinePart = string | { text: string; bold?: boolean; italic?: boolean; href?: string };

/** A list item: inline text for a one-paragraph item, or ready-made blocks (see `listItem`). */
export type ListEntry = InlinePart | InlinePart[] | JSONContent;

function inline(parts: InlinePart[]): JSONContent[] {
  const nodes: JSONContent[] = [];
  for (const part of parts) {
    const run = typeof part === 'string' ? { text: part } : part;
    // ProseMirror refuses empty text nodes; an empty part simply contributes nothing.
    if (run.text === '') continue;
    const marks: NonNullable<JSONContent['marks']> = [];
    if (run.bold) marks.push({ type: 'bold' });
    if (run.italic) marks.push({ type: 'italic' });
    if (run.href) marks.push({ type: 'link', attrs: { href: run.href } });
    nodes.push(marks.length > 0 ? { type: 'text', text: run.text, marks } : { type: 'text', text: run.text });
  }
  return nodes;
}

function withContent(node: JSONContent, content: JSONContent[]): JSONContent {
  return content.length > 0 ? { ...node, content } : node;
}

export function doc(...blocks: JSONContent[]): JSONContent {
  return { type: 'doc', content: blocks };
}

export function heading(level: 1 | 2 | 3, text: string): JSONContent {
  return withContent({ type: 'heading', attrs: { level } }, inline([text]));
}

export function paragraph(...parts: InlinePart[]): JSONContent {
  return withContent({ type: 'paragraph' }, inline(parts));
}

export function bold(text: string): InlinePart {
  return { text, bold: true };
}

export function italic(text: string): InlinePart {
  return { text, italic: true };
}

export function link(text: string, href: string): InlinePart {
  return { text, href };
}

/** A list item made of several blocks (for example a statement followed by its rationale). */
export function listItem(...blocks: JSONContent[]): JSONContent {
  return { type: 'listItem', content: blocks };
}

function toListItem(entry: ListEntry): JSONContent {
  if (Array.isArray(entry)) return listItem(paragraph(...entry));
  if (typeof entry === 'object' && 'type' in entry) return entry;
  return listItem(paragraph(entry as InlinePart));
}

export function bulletList(items: ListEntry[]): JSONContent {
  return { type: 'bulletList', content: items.map(toListItem) };
}

export function orderedList(items: ListEntry[], start = 1): JSONContent {
  return { type: 'orderedList', attrs: { start }, content: items.map(toListItem) };
}

/**
 * A numbered recommendation as the publication and the follow-ups write it today: the
 * statement, then whom it addresses and why. (A dedicated `recommendation` node with a stable id
 * will replace this list-item shape when it joins shared/schema.)
 */
export function recommendation(statement: string, addressee: string, rationale: string): JSONContent {
  return listItem(paragraph(bold(statement)), paragraph(italic('Addressee: '), addressee), paragraph(italic('Rationale: '), rationale));
}

// Encoding to Yjs lives in contentEncoder.ts (no ProseMirror at run time); re-exported so that
// callers build and encode content through this one module.
export { contentToUpdate } from './contentEncoder.js';
