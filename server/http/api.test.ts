import type { JSONContent } from '@tiptap/core';
import { yDocToProsemirrorJSON } from '@tiptap/y-tiptap';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocumentMeta, DocumentView, GroupView } from '../../shared/domain/index.js';
import { DOCUMENT_FRAGMENT, documentSchema } from '../../shared/schema/index.js';
import { FOLLOW_UP_SECTIONS } from '../services/followUpTemplate.js';
import { SEED_DOCUMENTS, SEED_GROUPS } from '../services/seedData.js';
import { seedWorkspace } from '../services/seedWorkspace.js';
import type { DocStore } from '../storage/DocStore.js';
import { MemoryMetaStore } from '../storage/memoryMetaStore.js';
import { NOW, ObservedDocStore, call, expectError, sendJson, silent, startApi, type ErrorBody, type Harness } from './apiTestKit.js';

async function loadContent(docs: DocStore, id: string): Promise<JSONContent> {
  const ydoc = new Y.Doc();
  for (const update of await docs.load(id)) Y.applyUpdate(ydoc, update);
  return yDocToProsemirrorJSON(ydoc, DOCUMENT_FRAGMENT) as JSONContent;
}

function textOf(node: JSONContent): string {
  return node.text ?? (node.content ?? []).map(textOf).join('');
}

function headings(json: JSONContent, level = 2): string[] {
  return (json.content ?? []).filter((n) => n.type === 'heading' && n.attrs?.level === level).map(textOf);
}

const followUpBody = {
  kind: 'follow-up',
  title: 'Follow-up summary: group meeting of 12 October 2022',
  meeting: { date: '2022-10-12', type: 'group-meeting', place: 'online' },
};

describe('REST API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startApi();
  });
  afterEach(async () => {
    await h.close();
  });

  it('API-1: GET /api/groups lists the groups with document count and last edit', async () => {
    const reply = await call<{ groups: GroupView[] }>(h, '/api/groups');
    expect(reply.status).toBe(200);
    expect(reply.body.groups.map((g) => g.id)).toEqual(SEED_GROUPS.map((g) => g.id));
    for (const group of reply.body.groups) {
      const expected = SEED_DOCUMENTS.filter((d) => d.groupId === group.id).length;
      expect(group.documentCount).toBe(expected);
      expect(typeof group.lastEditedAt).toBe('string');
      expect(group.name).toMatch(/^WG /);
      expect(group.myRole).toBe('admin');
    }
  });

  it('API-2: GET /api/groups/:groupId returns one group summary; an unknown id is 404', async () => {
    const reply = await call<{ group: GroupView }>(h, '/api/groups/digital-transition');
    expect(reply.status).toBe(200);
    expect(reply.body.group).toMatchObject({ id: 'digital-transition', name: 'WG Digital Transition', documentCount: 3 });
    expectError(await call(h, '/api/groups/no-such-group'), 404, 'NOT_FOUND');
  });

  it('API-3: malformed ids are answered exactly like unknown ids (404), on every route', async () => {
    const unknown = await call(h, '/api/groups/no-such-group');
    // (`..` or `%2e%2e` alone never reach a route: URL normalisation removes them client-side.)
    const odd = ['..%2F..', '%2e%2e%2f', 'UPPER', 'x'.repeat(100), '%C3%A9t%C3%A9', '-leading-hyphen'];
    for (const id of odd) {
      const group = await call(h, `/api/groups/${id}`);
      expectError(group, 404, 'NOT_FOUND');
      expect(group.body).toEqual(unknown.body);
      expectError(await call(h, `/api/groups/${id}/documents`), 404, 'NOT_FOUND');
      // Checked before the body: even a wrong content type gets the 404.
      expectError(await call(h, `/api/groups/${id}/documents`, { method: 'POST', body: 'x' }), 404, 'NOT_FOUND');
      expectError(await call(h, `/api/documents/${id}`), 404, 'NOT_FOUND');
      expectError(await call(h, `/api/documents/${id}`, sendJson('PATCH', { title: 'x' })), 404, 'NOT_FOUND');
    }
    // Ids the router cannot even percent-decode.
    expectError(await call(h, '/api/groups/%E0%A4%A'), 404, 'NOT_FOUND');
    expectError(await call(h, '/api/documents/%ZZ', sendJson('PATCH', { title: 'x' })), 404, 'NOT_FOUND');
    const doc = await call(h, '/api/documents/00000000-0000-4000-8000-000000000000');
    const oddDoc = await call(h, '/api/documents/UPPER');
    expect(oddDoc.body).toEqual(doc.body);
  });

  it('API-4: a group’s documents are listed newest first (meeting date, else last edit)', async () => {
    const reply = await call<{ documents: DocumentMeta[] }>(h, '/api/groups/digital-transition/documents');
    expect(reply.status).toBe(200);
    expect(reply.body.documents.map((d) => [d.kind, d.meeting?.type ?? null])).toEqual([
      ['publication', null],
      ['follow-up', 'group-meeting'],
      ['follow-up', 'preliminary'],
    ]);
    expect(reply.body.documents.every((d) => d.groupId === 'digital-transition')).toBe(true);
    expectError(await call(h, '/api/groups/no-such-group/documents'), 404, 'NOT_FOUND');
  });

  it('API-5: POST a follow-up creates it with the template content, 201 and Location', async () => {
    const later = new Date('2024-03-02T10:30:00.000Z');
    h.setClock(later);
    const reply = await call<{ document: DocumentView }>(h, '/api/groups/environment-climate/documents', sendJson('POST', followUpBody));
    expect(reply.status).toBe(201);
    expect(reply.body.document.access).toBe('edit');
    const { document } = reply.body;
    expect(document).toMatchObject({
      groupId: 'environment-climate',
      kind: 'follow-up',
      title: followUpBody.title,
      state: 'draft',
      meeting: followUpBody.meeting,
      createdAt: later.toISOString(),
      updatedAt: later.toISOString(),
    });
    expect(reply.headers.get('location')).toBe(`/api/documents/${document.id}`);
    expect((await call(h, `/api/documents/${document.id}`)).body).toEqual({ document });

    const content = await loadContent(h.docs, document.id);
    expect(headings(content)).toEqual([...FOLLOW_UP_SECTIONS]);
    expect(textOf(content.content![0]!)).toBe('Group meeting · 12 October 2022 · Online');
    const group = await call<{ group: GroupView }>(h, '/api/groups/environment-climate');
    expect(group.body.group.documentCount).toBe(3);
    expect(group.body.group.lastEditedAt).toBe(later.toISOString());
  });

  it('API-5: every kind starts from its template; content is stored before the metadata', async () => {
    const seen: Array<DocumentMeta | undefined> = [];
    h.docs.onAppend = async (id) => void seen.push(await h.meta.getDocument(id));
    const expected: Record<string, string[]> = {
      'working-draft': ['Purpose', 'Background', 'Draft text', 'Open questions'],
      publication: ['Introduction', 'Main findings', 'Recommendations to the European Commission', 'Conclusion'],
      report: ['Summary', 'Context', 'Activities', 'Findings', 'Next steps'],
    };
    for (const [kind, sections] of Object.entries(expected)) {
      const reply = await call<{ document: DocumentMeta }>(h, '/api/groups/social-inclusion/documents', sendJson('POST', { kind, title: `A ${kind}` }));
      expect(reply.status).toBe(201);
      expect(reply.body.document.meeting).toBeUndefined();
      expect(headings(await loadContent(h.docs, reply.body.document.id))).toEqual(sections);
    }
    expect(seen).toEqual([undefined, undefined, undefined]);
  });

  it('API-6: invalid bodies are refused with VALIDATION_FAILED and field details; nothing is created', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ kind: 'follow-up', title: 'No meeting' }, 'meeting', /required/],
      [{ ...followUpBody, meeting: { ...followUpBody.meeting, date: '2022-02-30' } }, 'meeting.date', /real calendar date/],
      [{ ...followUpBody, meeting: { ...followUpBody.meeting, date: '08/09/2022' } }, 'meeting.date', /YYYY-MM-DD/],
      [{ ...followUpBody, meeting: { ...followUpBody.meeting, type: 'coffee' } }, 'meeting.type', /expected one of/],
      [{ kind: 'minutes', title: 'Unknown kind' }, 'kind', /follow-up/],
      [{ kind: 'working-draft', title: 'Extra', state: 'final' }, 'state', /not an allowed field/],
      [{ kind: 'working-draft', title: '   ' }, 'title', /empty/],
      [{ kind: 'working-draft', title: 'x'.repeat(201) }, 'title', /200/],
      [[], '', /object/],
    ];
    for (const [body, path, message] of cases) {
      const error = expectError(await call(h, '/api/groups/digital-transition/documents', sendJson('POST', body)), 400, 'VALIDATION_FAILED');
      expect(error.details).toContainEqual({ path, message: expect.stringMatching(message) });
    }
    expect((await h.meta.listDocuments('digital-transition')).length).toBe(3);
  });

  it('API-7: a body that is not JSON is 400 MALFORMED_JSON', async () => {
    const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"kind": "report", ' };
    expectError(await call(h, '/api/groups/digital-transition/documents', init), 400, 'MALFORMED_JSON');
    expectError(await call(h, '/api/groups/digital-transition/documents', { ...init, body: 'null' }), 400, 'MALFORMED_JSON');
  });

  it('API-8: a body that is not declared as JSON is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const body = JSON.stringify({ kind: 'report', title: 'Form post' });
    const asText = { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body };
    expectError(await call(h, '/api/groups/digital-transition/documents', asText), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const asForm = { method: 'PATCH', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'title=x' };
    const doc = (await h.meta.listDocuments('digital-transition'))[0]!;
    expectError(await call(h, `/api/documents/${doc.id}`, asForm), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await call(h, '/api/groups/digital-transition/documents', { method: 'POST' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('API-9: a body over 256 KB is 413 PAYLOAD_TOO_LARGE', async () => {
    const body = { kind: 'report', title: 'Big', padding: 'x'.repeat(300 * 1024) };
    expectError(await call(h, '/api/groups/digital-transition/documents', sendJson('POST', body)), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('API-10: GET /api/documents/:documentId returns the document; unknown is 404', async () => {
    const doc = (await h.meta.listDocuments('social-inclusion'))[0]!;
    const reply = await call(h, `/api/documents/${doc.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ document: { ...doc, access: 'edit' } });
    expectError(await call(h, '/api/documents/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
  });

  it('API-11: PATCH renames and merges the meeting field by field, setting updatedAt', async () => {
    const created = await call<{ document: DocumentMeta }>(h, '/api/groups/democratic-life/documents', sendJson('POST', followUpBody));
    const id = created.body.document.id;
    const later = new Date('2024-04-01T08:00:00.000Z');
    h.setClock(later);
    const renamed = await call<{ document: DocumentMeta }>(h, `/api/documents/${id}`, sendJson('PATCH', { title: '  Renamed  ' }));
    expect(renamed.status).toBe(200);
    expect(renamed.body.document).toMatchObject({ title: 'Renamed', meeting: followUpBody.meeting, updatedAt: later.toISOString() });
    const moved = await call<{ document: DocumentMeta }>(h, `/api/documents/${id}`, sendJson('PATCH', { meeting: { place: 'Brussels' } }));
    expect(moved.body.document.meeting).toEqual({ ...followUpBody.meeting, place: 'Brussels' });
    expect(moved.body.document.createdAt).toBe(NOW.toISOString());
    expect({ ...(await h.meta.getDocument(id)), access: 'edit' }).toEqual(moved.body.document);
  });

  it('API-11: PATCH refuses empty patches, bad fields and a meeting on a non-follow-up', async () => {
    const draft = (await h.meta.listDocuments('environment-climate')).find((d) => d.kind === 'working-draft')!;
    const followUp = (await h.meta.listDocuments('environment-climate')).find((d) => d.kind === 'follow-up')!;
    const patch = (id: string, body: unknown) => call(h, `/api/documents/${id}`, sendJson('PATCH', body));
    expectError(await patch(followUp.id, {}), 400, 'VALIDATION_FAILED');
    expectError(await patch(followUp.id, { state: 'final' }), 400, 'VALIDATION_FAILED');
    expectError(await patch(followUp.id, { meeting: { date: '2022-02-30' } }), 400, 'VALIDATION_FAILED');
    const error = expectError(await patch(draft.id, { meeting: { date: '2022-09-07' } }), 400, 'VALIDATION_FAILED');
    expect(error.details).toEqual([{ path: 'meeting', message: expect.stringMatching(/only meeting follow-ups/) }]);
    expect(await h.meta.getDocument(followUp.id)).toEqual(followUp);
    expect(await h.meta.getDocument(draft.id)).toEqual(draft);
    expectError(await patch('00000000-0000-4000-8000-000000000000', { title: 'x' }), 404, 'NOT_FOUND');
  });

  it('API-14: every error body is exactly { error: { code, message } } (+ details for validation)', async () => {
    const replies = [
      await call(h, '/api/groups/UPPER'),
      await call(h, '/api/nowhere'),
      await call(h, '/api/groups/digital-transition/documents', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' }),
      await call(h, '/api/groups/digital-transition/documents', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' }),
      await call(h, '/api/groups/digital-transition/documents', sendJson('POST', {})),
    ];
    for (const reply of replies) {
      const body = reply.body as unknown as ErrorBody;
      expect(Object.keys(body)).toEqual(['error']);
      const keys = Object.keys(body.error).sort();
      expect(keys).toEqual(body.error.code === 'VALIDATION_FAILED' ? ['code', 'details', 'message'] : ['code', 'message']);
    }
  });

  it('API-12: an unknown /api route is a JSON 404, not the client page', async () => {
    expectError(await call(h, '/api/nothing-here'), 404, 'NOT_FOUND');
    expectError(await call(h, '/api'), 404, 'NOT_FOUND');
    expectError(await call(h, '/api/groups', { method: 'DELETE' }), 404, 'NOT_FOUND');
    expectError(await call(h, '/api/groups/digital-transition/documents/extra'), 404, 'NOT_FOUND');
  });
});

describe('REST API failures and health', () => {
  it('API-13: an unexpected error is a generic 500 INTERNAL_ERROR, logged with its stack', async () => {
    const meta = new MemoryMetaStore();
    meta.listGroups = async () => {
      throw new Error('disk on fire at /secret/path');
    };
    const h = await startApi({ meta, seed: false });
    try {
      const error = expectError(await call(h, '/api/groups'), 500, 'INTERNAL_ERROR');
      expect(error.message).not.toContain('secret');
      expect(h.logs).toHaveLength(1);
      const entry = JSON.parse(h.logs[0]!) as { err: { stack: string; message: string } };
      expect(entry.err.message).toBe('disk on fire at /secret/path');
      expect(entry.err.stack).toContain('api.test.ts');
    } finally {
      await h.close();
    }
  });

  it('API-15: GET /healthz is 200 {"status":"ok"}, and 503 "degraded" when a check fails', async () => {
    let ok = true;
    const h = await startApi({ seed: false, health: { checks: () => (ok ? { ok, failingDocuments: 0 } : { ok, failingDocuments: 2 }) } });
    try {
      const healthy = await call(h, '/healthz');
      expect(healthy.status).toBe(200);
      expect(healthy.body).toEqual({ status: 'ok' });
      ok = false;
      const degraded = await call(h, '/healthz');
      expect(degraded.status).toBe(503);
      expect(degraded.body).toEqual({ status: 'degraded', failingDocuments: 2 });
    } finally {
      await h.close();
    }
    const throwing = await startApi({ seed: false, health: { checks: () => Promise.reject(new Error('boom')) } });
    try {
      expect((await call(throwing, '/healthz')).status).toBe(503);
    } finally {
      await throwing.close();
    }
  });
});

describe('Seeding', () => {
  it('SEED-1: an empty workspace gets the four expert groups and their documents', async () => {
    const meta = new MemoryMetaStore();
    const docs = new ObservedDocStore();
    expect(await seedWorkspace({ meta, docs, logger: silent, now: () => NOW })).toEqual({ seeded: true });
    const groups = await meta.listGroups();
    expect(groups.map((g) => g.name)).toEqual([
      'WG Digital Transition',
      'WG Environment and fight against climate change',
      'WG Social Inclusion',
      'WG Participation in Democratic Life',
    ]);
    const meetings = async (groupId: string) => (await meta.listDocuments(groupId)).map((d) => d.meeting && `${d.meeting.type} ${d.meeting.date} ${d.meeting.place}`);
    expect(await meetings('digital-transition')).toEqual(['preliminary 2022-09-08 online', 'group-meeting 2022-09-08 online', undefined]);
    expect(await meetings('environment-climate')).toContain('group-meeting 2022-09-07 online');
    for (const group of groups) {
      expect((await meta.listDocuments(group.id)).some((d) => d.kind === 'follow-up')).toBe(true);
    }
    const publication = (await meta.listDocuments('digital-transition')).find((d) => d.kind === 'publication');
    expect(publication?.title).toBe('Policy publication: recommendations to the European Commission');
  });

  it('SEED-2: seeding runs once; a second run changes nothing', async () => {
    const meta = new MemoryMetaStore();
    const docs = new ObservedDocStore();
    await seedWorkspace({ meta, docs, logger: silent });
    const groups = await meta.listGroups();
    const appended = docs.updates.size;
    expect(await seedWorkspace({ meta, docs, logger: silent })).toEqual({ seeded: false });
    expect(await meta.listGroups()).toEqual(groups);
    expect(docs.updates.size).toBe(appended);
  });

  it('SEED-2: a workspace that already has any group is not seeded', async () => {
    const meta = new MemoryMetaStore();
    await meta.insert({ groups: [{ id: 'my-group', name: 'Mine', description: '', createdAt: NOW.toISOString() }] });
    expect(await seedWorkspace({ meta, docs: new ObservedDocStore(), logger: silent })).toEqual({ seeded: false });
    expect((await meta.listGroups()).map((g) => g.id)).toEqual(['my-group']);
  });

  it('SEED-3: all content is stored before one metadata insert', async () => {
    const meta = new MemoryMetaStore();
    const docs = new ObservedDocStore();
    let inserts = 0;
    const insert = meta.insert.bind(meta);
    meta.insert = (batch) => {
      inserts += 1;
      expect([...docs.updates.keys()].sort()).toEqual((batch.documents ?? []).map((d) => d.id).sort());
      return insert(batch);
    };
    docs.onAppend = async () => expect(await meta.listGroups()).toEqual([]);
    await seedWorkspace({ meta, docs, logger: silent });
    expect(inserts).toBe(1);
  });

  it('SEED-4: every seeded document has valid, non-trivial content; follow-ups have the template sections', async () => {
    const meta = new MemoryMetaStore();
    const docs = new ObservedDocStore();
    await seedWorkspace({ meta, docs, logger: silent });
    for (const group of await meta.listGroups()) {
      for (const document of await meta.listDocuments(group.id)) {
        const content = await loadContent(docs, document.id);
        documentSchema().nodeFromJSON(content).check();
        expect(textOf(content).length).toBeGreaterThan(600);
        if (document.kind === 'follow-up') expect(headings(content)).toEqual([...FOLLOW_UP_SECTIONS]);
        if (document.kind === 'publication') {
          expect(headings(content)).toContain('Recommendations to the European Commission');
          expect(content.content?.some((n) => n.type === 'orderedList' && (n.content?.length ?? 0) >= 3)).toBe(true);
        }
      }
    }
  });
});
