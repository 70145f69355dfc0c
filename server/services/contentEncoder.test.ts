import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYDoc, yDocToProsemirrorJSON } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MEETING_TYPES } from '../../shared/domain/index.js';
import { DOCUMENT_FRAGMENT, documentSchema } from '../../shared/schema/index.js';
import { MARK_ATTRIBUTES, NODE_ATTRIBUTES, contentToUpdate } from './contentEncoder.js';
import { bold, bulletList, doc, heading, italic, link, listItem, orderedList, paragraph } from './documentContent.js';
import { followUpTemplate, publicationTemplate, reportTemplate, workingDraftTemplate } from './followUpTemplate.js';
import { SEED_DOCUMENTS } from './seedData.js';

/** What y-tiptap builds through the real schema: the reference the encoder must match. */
function viaSchema(json: JSONContent): Y.Doc {
  const schema = documentSchema();
  schema.nodeFromJSON(json).check(); // every template must be valid in the document model
  return prosemirrorJSONToYDoc(schema, json, DOCUMENT_FRAGMENT);
}

function viaEncoder(json: JSONContent): Y.Doc {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, contentToUpdate(json));
  return ydoc;
}

/** Content as the editor sees it, and the Yjs tree with every attribute (element and formatting). */
function views(ydoc: Y.Doc): { prosemirror: unknown; yjs: string } {
  return { prosemirror: yDocToProsemirrorJSON(ydoc, DOCUMENT_FRAGMENT), yjs: ydoc.getXmlFragment(DOCUMENT_FRAGMENT).toString() };
}

const templates: Array<[string, JSONContent]> = [
  ['working draft', workingDraftTemplate()],
  ['publication', publicationTemplate()],
  ['report', reportTemplate()],
  ...MEETING_TYPES.map((type): [string, JSONContent] => [`follow-up (${type})`, followUpTemplate({ date: '2022-09-08', type, place: 'Brussels & online' })]),
  ...SEED_DOCUMENTS.map((seed): [string, JSONContent] => [`seed: ${seed.title}`, seed.content]),
  [
    'every mark and node the builders make',
    doc(
      heading(2, 'Heading'),
      paragraph('plain ', bold('bold'), ' ', italic('italic'), ' ', link('a link', 'https://example.org'), { text: 'all three', bold: true, italic: true, href: 'mailto:x@example.org' }),
      orderedList(['one', ['two ', bold('bold')]], 3),
      bulletList([listItem(paragraph('block item'), paragraph('second block')), 'text item']),
    ),
  ],
];

describe('contentEncoder', () => {
  it.each(templates)('builds the same Yjs document as y-tiptap through the schema: %s', (_name, json) => {
    const expected = viaSchema(json);
    const actual = viaEncoder(json);
    expect(views(actual)).toEqual(views(expected));
    expected.destroy();
    actual.destroy();
  });

  it('knows the attributes and defaults of every node and mark of the document schema, in schema order', () => {
    const schema = documentSchema();
    const defaults = (attrs: Record<string, { default?: unknown }> | undefined): Record<string, unknown> =>
      Object.fromEntries(Object.entries(attrs ?? {}).map(([key, spec]) => [key, spec.default]));
    const nodes = Object.fromEntries(Object.entries(schema.nodes).filter(([name]) => name !== 'text').map(([name, type]) => [name, defaults(type.spec.attrs)]));
    const marks = Object.fromEntries(Object.entries(schema.marks).map(([name, type]) => [name, defaults(type.spec.attrs)]));
    expect(nodes).toEqual(NODE_ATTRIBUTES);
    expect(marks).toEqual(MARK_ATTRIBUTES);
    expect(Object.keys(MARK_ATTRIBUTES)).toEqual(Object.keys(schema.marks));
    // y-tiptap names a mark differently when it may overlap itself; none of ours may.
    for (const type of Object.values(schema.marks)) expect(type.excludes(type)).toBe(true);
  });

  it('refuses node and mark types the schema does not have', () => {
    expect(() => contentToUpdate(doc({ type: 'table' }))).toThrow(/unknown/);
    expect(() => contentToUpdate(doc(paragraph({ text: 'x' }), { type: 'paragraph', content: [{ type: 'text', text: 'y', marks: [{ type: 'blink' }] }] }))).toThrow(/unknown mark/);
    expect(() => contentToUpdate(paragraph('not a doc'))).toThrow(/doc/);
  });
});
