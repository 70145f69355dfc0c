import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  GROUP_ROLES,
  can,
  canSeeDocument,
  documentAccess,
  type DocumentAccess,
  type DocumentMeta,
  type GroupStanding,
  type GroupView,
  type InviteView,
  type MemberEntry,
  type Permission,
  type TokenScope,
} from '../../shared/domain/index.js';
import { SyncMessageType, encodeAwarenessMessage, encodeSyncStep1, encodeUpdateMessage } from '../../shared/protocol/index.js';
import { bearer, createPerson, createToken, request, type TestPerson } from '../helpers/accounts.js';
import { appendParagraph, bodyOf, tryUpgrade, waitFor, type UpgradeAttempt } from '../helpers/collabClients.js';
import { awarenessStates, step2Docs, syncFrame } from '../helpers/frames.js';
import { ServerProcess } from '../helpers/serverProcess.js';

/**
 * The authorization matrix (ACL-1, ACL-2, ACL-3), generated from the roles table in
 * shared/domain/roles.ts: every kind of principal × every REST route and every collaboration
 * message type, with the expected outcome computed from `can`, `canSeeDocument` and
 * `documentAccess`, checked against the real server process. Changing the table changes the
 * expectations; the server must follow.
 */

const G = 'digital-transition'; // the group under test
const H = 'environment-climate'; // the outsider's own group
const K = 'democratic-life'; // invitations are accepted into this one, so G and H stay as set up

type Kind = 'admin' | 'rapporteur' | 'member' | 'reader' | 'outsider' | 'anonymous' | 'member-read-token';

interface Principal {
  kind: Kind;
  /** Standing in G, from the roles table's point of view. */
  standing: GroupStanding;
  /** null for anonymous. */
  scope: TokenScope | null;
  headers: Record<string, string>;
  person: TestPerson | null;
}

/** The matrix for HTTP: which rule guards a route (docs/SECURITY.md has the same table). */
type Rule =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | { kind: 'session-only' }
  | { kind: 'admin' }
  | { kind: 'group'; permission: Permission }
  | { kind: 'document'; need: 'read' | 'edit' };

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path pattern as documented. */
  pattern: string;
  rule: Rule;
  success: number;
  /** Builds the concrete request, creating whatever fixture it needs (a user to remove, an invitation…). */
  prepare: (p: Principal) => Promise<{ path: string; body?: unknown }>;
  /** Extra checks on a successful answer, derived from the table too. */
  check?: (p: Principal, json: unknown) => void;
}

interface Expected {
  status: number;
  code?: string;
}

function accessOf(p: Principal, state: DocumentMeta['state']): DocumentAccess {
  const access = documentAccess(p.standing, state);
  return access === 'edit' && p.scope === 'read' ? 'read' : access;
}

/** The expected answer, from the roles table and the documented precedence (401, read-only token, 404, 403). */
function expectedFor(route: Route, p: Principal, documentState: DocumentMeta['state']): Expected {
  const mutates = route.method !== 'GET';
  if (route.rule.kind === 'public') {
    if (mutates && p.scope === 'read') return { status: 403, code: 'READ_ONLY_TOKEN' };
    return { status: route.success };
  }
  if (p.scope === null) return { status: 401, code: 'UNAUTHENTICATED' };
  if (mutates && p.scope === 'read') return { status: 403, code: 'READ_ONLY_TOKEN' };
  switch (route.rule.kind) {
    case 'signed-in':
      return { status: route.success };
    case 'session-only': // the matrix's principals use API tokens
      return { status: 403, code: 'FORBIDDEN' };
    case 'admin':
      return p.standing === 'admin' ? { status: route.success } : { status: 403, code: 'FORBIDDEN' };
    case 'group':
      if (!can(p.standing, 'group.view')) return { status: 404, code: 'NOT_FOUND' };
      return can(p.standing, route.rule.permission) ? { status: route.success } : { status: 403, code: 'FORBIDDEN' };
    case 'document': {
      const access = accessOf(p, documentState);
      if (access === 'none') return { status: 404, code: 'NOT_FOUND' };
      if (route.rule.need === 'edit' && access !== 'edit') return { status: 403, code: 'FORBIDDEN' };
      return { status: route.success };
    }
  }
}

describe('authorization matrix against the real server', () => {
  let server: ServerProcess;
  const principals: Principal[] = [];
  let doc: DocumentMeta;
  /** Titles and names nobody outside G may ever receive. */
  let secrets: string[];
  const MARKER = 'confidential draft wording 7f3a';

  async function asAdmin<T>(path: string, init?: RequestInit): Promise<T> {
    return server.api<T>(path, init);
  }

  async function freshInvite(groupId: string): Promise<InviteView> {
    return (await asAdmin<{ invite: InviteView }>(`/api/groups/${groupId}/invites`, { method: 'POST', body: JSON.stringify({ role: 'reader' }) })).invite;
  }

  beforeAll(async () => {
    server = await ServerProcess.start();
    const admin = await createPerson(server, 'Matrix Admin', {}, { isAdmin: true });
    const rapporteur = await createPerson(server, 'Matrix Rapporteur', { [G]: 'rapporteur' });
    const member = await createPerson(server, 'Matrix Member', { [G]: 'member' });
    const reader = await createPerson(server, 'Matrix Reader', { [G]: 'reader' });
    const outsider = await createPerson(server, 'Matrix Outsider', { [H]: 'member' });
    const token = async (person: TestPerson, scope: TokenScope = 'full') => bearer((await createToken(server, person, scope)).secret);
    principals.push(
      { kind: 'admin', standing: 'admin', scope: 'full', headers: await token(admin), person: admin },
      { kind: 'rapporteur', standing: 'rapporteur', scope: 'full', headers: await token(rapporteur), person: rapporteur },
      { kind: 'member', standing: 'member', scope: 'full', headers: await token(member), person: member },
      { kind: 'reader', standing: 'reader', scope: 'full', headers: await token(reader), person: reader },
      { kind: 'outsider', standing: null, scope: 'full', headers: await token(outsider), person: outsider },
      { kind: 'anonymous', standing: null, scope: null, headers: {}, person: null },
      { kind: 'member-read-token', standing: 'member', scope: 'read', headers: await token(member, 'read'), person: member },
    );
    doc = (await asAdmin<{ document: DocumentMeta }>(`/api/groups/${G}/documents`, { method: 'POST', body: JSON.stringify({ kind: 'working-draft', title: 'Matrix draft: unpublished recommendations' }) })).document;
    // Content only members of G may read.
    const writer = await tryUpgrade(server.wsUrl, `/collab/${doc.id}`, bearer(server.token));
    const content = new Y.Doc();
    appendParagraph(content, MARKER);
    writer.ws!.send(encodeUpdateMessage(Y.encodeStateAsUpdate(content)));
    await waitFor(() => writer.frames.length > 0, 'writer synced');
    writer.ws!.close();
    const documents = await asAdmin<{ documents: DocumentMeta[] }>(`/api/groups/${G}/documents`);
    const group = await asAdmin<{ group: GroupView }>(`/api/groups/${G}`);
    secrets = [group.group.name, MARKER, ...documents.documents.map((d) => d.title), rapporteur.email, member.email, reader.email];
  });

  afterAll(async () => {
    await server.dispose();
  });

  const routes: Route[] = [
    { method: 'GET', pattern: '/api/me', rule: { kind: 'signed-in' }, success: 200, prepare: async () => ({ path: '/api/me' }) },
    { method: 'PATCH', pattern: '/api/me', rule: { kind: 'signed-in' }, success: 200, prepare: async (p) => ({ path: '/api/me', body: { name: p.person?.user.name ?? 'Nobody' } }) },
    {
      method: 'POST',
      pattern: '/api/me/password',
      rule: { kind: 'signed-in' },
      success: 204,
      prepare: async (p) => ({ path: '/api/me/password', body: { currentPassword: p.person?.password ?? 'x', newPassword: p.person?.password ?? 'long enough password' } }),
    },
    {
      method: 'GET',
      pattern: '/api/groups',
      rule: { kind: 'signed-in' },
      success: 200,
      prepare: async () => ({ path: '/api/groups' }),
      check: (p, json) => {
        const groups = (json as { groups: GroupView[] }).groups;
        const g = groups.find((group) => group.id === G);
        expect(g !== undefined).toBe(can(p.standing, 'group.view'));
        if (g) expect(g.myRole).toBe(p.standing);
      },
    },
    { method: 'GET', pattern: '/api/groups/:groupId', rule: { kind: 'group', permission: 'group.view' }, success: 200, prepare: async () => ({ path: `/api/groups/${G}` }), check: (p, json) => expect((json as { group: GroupView }).group.myRole).toBe(p.standing) },
    {
      method: 'GET',
      pattern: '/api/groups/:groupId/documents',
      rule: { kind: 'group', permission: 'group.view' },
      success: 200,
      prepare: async () => ({ path: `/api/groups/${G}/documents` }),
      check: (p, json) => {
        for (const d of (json as { documents: DocumentMeta[] }).documents) expect(canSeeDocument(p.standing, d.state)).toBe(true);
      },
    },
    { method: 'POST', pattern: '/api/groups/:groupId/documents', rule: { kind: 'group', permission: 'document.edit' }, success: 201, prepare: async () => ({ path: `/api/groups/${G}/documents`, body: { kind: 'report', title: 'Created by the matrix' } }) },
    {
      method: 'GET',
      pattern: '/api/documents/:documentId',
      rule: { kind: 'document', need: 'read' },
      success: 200,
      prepare: async () => ({ path: `/api/documents/${doc.id}` }),
      check: (p, json) => expect((json as { document: { access: string } }).document.access).toBe(accessOf(p, doc.state)),
    },
    { method: 'PATCH', pattern: '/api/documents/:documentId', rule: { kind: 'document', need: 'edit' }, success: 200, prepare: async () => ({ path: `/api/documents/${doc.id}`, body: { title: doc.title } }) },
    {
      method: 'GET',
      pattern: '/api/groups/:groupId/members',
      rule: { kind: 'group', permission: 'group.view' },
      success: 200,
      prepare: async () => ({ path: `/api/groups/${G}/members` }),
      check: (p, json) => {
        const members = (json as { members: MemberEntry[] }).members;
        expect(members.length).toBeGreaterThan(0);
        for (const m of members) expect(m.user.email !== undefined).toBe(can(p.standing, 'members.manage'));
      },
    },
    {
      method: 'PUT',
      pattern: '/api/groups/:groupId/members/:userId',
      rule: { kind: 'group', permission: 'members.manage' },
      success: 200,
      prepare: async () => ({ path: `/api/groups/${G}/members/${(await createPerson(server, 'Target')).user.id}`, body: { role: 'reader' } }),
    },
    {
      method: 'DELETE',
      pattern: '/api/groups/:groupId/members/:userId',
      rule: { kind: 'group', permission: 'members.manage' },
      success: 204,
      prepare: async () => ({ path: `/api/groups/${G}/members/${(await createPerson(server, 'Leaver', { [G]: 'member' })).user.id}` }),
    },
    { method: 'POST', pattern: '/api/groups/:groupId/invites', rule: { kind: 'group', permission: 'members.manage' }, success: 201, prepare: async () => ({ path: `/api/groups/${G}/invites`, body: { role: 'member' } }) },
    { method: 'GET', pattern: '/api/groups/:groupId/invites', rule: { kind: 'group', permission: 'members.manage' }, success: 200, prepare: async () => ({ path: `/api/groups/${G}/invites` }) },
    { method: 'DELETE', pattern: '/api/groups/:groupId/invites/:inviteId', rule: { kind: 'group', permission: 'members.manage' }, success: 204, prepare: async () => ({ path: `/api/groups/${G}/invites/${(await freshInvite(G)).id}` }) },
    { method: 'GET', pattern: '/api/invites/:secret', rule: { kind: 'public' }, success: 200, prepare: async () => ({ path: `/api/invites/${(await freshInvite(K)).url!.split('/invite/')[1]}` }) },
    // Accepting with an empty body joins with the signed-in account: for anonymous callers that is a 401.
    { method: 'POST', pattern: '/api/invites/:secret/accept', rule: { kind: 'signed-in' }, success: 200, prepare: async () => ({ path: `/api/invites/${(await freshInvite(K)).url!.split('/invite/')[1]}/accept`, body: {} }) },
    { method: 'POST', pattern: '/api/session', rule: { kind: 'public' }, success: 401, prepare: async () => ({ path: '/api/session', body: { email: 'nobody@example.org', password: 'wrong password' } }) },
    { method: 'DELETE', pattern: '/api/session', rule: { kind: 'public' }, success: 204, prepare: async () => ({ path: '/api/session' }) },
    { method: 'GET', pattern: '/api/tokens', rule: { kind: 'signed-in' }, success: 200, prepare: async () => ({ path: '/api/tokens' }) },
    { method: 'POST', pattern: '/api/tokens', rule: { kind: 'session-only' }, success: 201, prepare: async () => ({ path: '/api/tokens', body: { name: 'more', scope: 'read' } }) },
    {
      method: 'DELETE',
      pattern: '/api/tokens/:tokenId',
      rule: { kind: 'signed-in' },
      success: 204,
      prepare: async (p) => ({ path: `/api/tokens/${p.person ? (await createToken(server, p.person, 'read')).id : '00000000-0000-4000-8000-000000000000'}` }),
    },
    { method: 'GET', pattern: '/api/admin/users', rule: { kind: 'admin' }, success: 200, prepare: async () => ({ path: '/api/admin/users' }) },
    {
      method: 'POST',
      pattern: '/api/admin/users',
      rule: { kind: 'admin' },
      success: 201,
      prepare: async () => ({ path: '/api/admin/users', body: { email: `new-${Math.random().toString(36).slice(2)}@example.org`, name: 'New', password: 'a-long-password' } }),
    },
    { method: 'PATCH', pattern: '/api/admin/users/:userId', rule: { kind: 'admin' }, success: 200, prepare: async () => ({ path: `/api/admin/users/${(await createPerson(server, 'Renamed')).user.id}`, body: { name: 'Renamed by the matrix' } }) },
    { method: 'GET', pattern: '/api/admin/activity', rule: { kind: 'admin' }, success: 200, prepare: async () => ({ path: '/api/admin/activity?limit=20' }) },
    { method: 'GET', pattern: '/api/admin/runtime', rule: { kind: 'admin' }, success: 200, prepare: async () => ({ path: '/api/admin/runtime' }) },
  ];

  const kinds: Kind[] = ['admin', 'rapporteur', 'member', 'reader', 'outsider', 'anonymous', 'member-read-token'];

  for (const route of routes) {
    for (const kind of kinds) {
      it(`ACL-1: ${kind} ${route.method} ${route.pattern}`, async () => {
        const p = principals.find((candidate) => candidate.kind === kind)!;
        const expected = expectedFor(route, p, doc.state);
        const { path, body } = await route.prepare(p);
        const reply = await request(server, route.method, path, { headers: p.headers, ...(body === undefined ? {} : { body }) });
        expect(reply.status, reply.text).toBe(expected.status);
        if (expected.code) expect((reply.json as { error: { code: string } }).error.code).toBe(expected.code);
        if (reply.status === route.success && route.success < 300) route.check?.(p, reply.json);
        // ACL-3: those outside G never receive anything of G: no names, titles, emails or content.
        if (!can(p.standing, 'group.view')) for (const secret of secrets) expect(reply.text).not.toContain(secret);
      });
    }
  }

  it('ACL-1: the matrix covers every role of the table and every documented route', () => {
    expect(GROUP_ROLES.every((role) => principals.some((p) => p.standing === role))).toBe(true);
    expect(routes).toHaveLength(27);
  });

  // ---- the collaboration socket ----

  type MessageKind = 'SyncStep1' | 'SyncStep2' | 'Update' | 'Awareness';
  const messageKinds: MessageKind[] = ['SyncStep1', 'SyncStep2', 'Update', 'Awareness'];

  for (const kind of kinds) {
    for (const message of messageKinds) {
      it(`ACL-2: ${kind} sends ${message} on a document of the group`, async () => {
        const p = principals.find((candidate) => candidate.kind === kind)!;
        const access = accessOf(p, doc.state);
        const attempt: UpgradeAttempt = await tryUpgrade(server.wsUrl, `/collab/${doc.id}`, p.headers);
        if (p.scope === null || access === 'none') {
          expect(attempt.status).toBe(p.scope === null ? 401 : 404);
          // ACL-3: refused before any socket exists: zero frames, and nothing of the document in the answer.
          expect(attempt.ws).toBeNull();
          expect(attempt.frames).toEqual([]);
          for (const secret of secrets) expect(attempt.body).not.toContain(secret);
          return;
        }
        expect(attempt.status).toBe(101);
        const ws = attempt.ws!;
        const probe = () => ws.send(encodeSyncStep1(new Y.Doc()));
        const text = `${kind} wrote with ${message} ${Math.random().toString(36).slice(2)}`;
        const change = new Y.Doc();
        appendParagraph(change, text);
        const awareness = new Awareness(change);
        switch (message) {
          case 'SyncStep1':
            probe();
            await waitFor(() => step2Docs(attempt.frames).length === 1, 'Step2 answer');
            expect(bodyOf(step2Docs(attempt.frames)[0]!)).toContain(MARKER);
            break;
          case 'SyncStep2':
          case 'Update': {
            ws.send(syncFrame(message === 'Update' ? SyncMessageType.Update : SyncMessageType.Step2, Y.encodeStateAsUpdate(change)));
            // Frames on one socket are handled in order: the answer to this Step1 shows whether the update was applied.
            probe();
            await waitFor(() => step2Docs(attempt.frames).length === 1, 'Step2 answer');
            expect(bodyOf(step2Docs(attempt.frames)[0]!).includes(text)).toBe(access === 'edit');
            expect(ws.readyState).toBe(ws.OPEN); // a dropped update does not close the socket
            break;
          }
          case 'Awareness': {
            awareness.setLocalStateField('user', { id: 'someone-else', name: 'Spoofed Name', color: '#000000' });
            ws.send(encodeAwarenessMessage(encodeAwarenessUpdate(awareness, [change.clientID])));
            await waitFor(() => awarenessStates(attempt.frames).has(change.clientID), 'own awareness echoed');
            const user = awarenessStates(attempt.frames).get(change.clientID)!.user as { id: string; name: string };
            expect(user.id).toBe(p.person!.user.id);
            expect(user.name).toBe(p.person!.user.name);
            break;
          }
        }
        awareness.destroy();
        ws.close();
      });
    }
  }
});
