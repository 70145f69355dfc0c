import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { DocumentMeta } from '../../shared/domain/index.js';
import { CloseCode, MessageType, SyncMessageType, encodeAwarenessMessage, encodeSyncStep1, encodeUpdateMessage } from '../../shared/protocol/index.js';
import { bearer, createPerson, createToken, removeMember, request, setRole, signIn, type TestPerson } from '../helpers/accounts.js';
import { RawClient, appendParagraph, bodyOf, connectProvider, tryUpgrade, waitFor, type ProviderClient } from '../helpers/collabClients.js';
import { syncFrame } from '../helpers/frames.js';
import { ServerProcess } from '../helpers/serverProcess.js';
import { storedContent, type StoredContent } from '../helpers/storedContent.js';

const G = 'social-inclusion';

/** Waits for the provider's socket to be closed by the server; resolves to the close code. */
function nextClose(client: ProviderClient): Promise<number> {
  return new Promise((resolve) => {
    const onClose = (event: { code: number } | null) => {
      if (!event) return;
      client.provider.off('connection-close', onClose);
      resolve(event.code);
    };
    client.provider.on('connection-close', onClose);
  });
}

async function draft(server: ServerProcess, title: string): Promise<DocumentMeta> {
  return (await server.api<{ document: DocumentMeta }>(`/api/groups/${G}/documents`, { method: 'POST', body: JSON.stringify({ kind: 'working-draft', title }) })).document;
}

async function upgradeStatus(server: ServerProcess, docId: string, headers: Record<string, string>): Promise<number> {
  const attempt = await tryUpgrade(server.wsUrl, `/collab/${docId}`, headers);
  attempt.ws?.close();
  return attempt.status;
}

/** What the configured store loads for the document: every record (hex) and the merged state. */
const documentFiles = (server: ServerProcess, docId: string): Promise<StoredContent> => storedContent(server, docId);

describe('rights changes take effect on open sockets', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await ServerProcess.start();
  });
  afterAll(async () => {
    await server.dispose();
  });

  async function memberWithSocket(role: 'member' | 'reader', title: string): Promise<{ person: TestPerson; token: string; doc: DocumentMeta; client: ProviderClient }> {
    const person = await createPerson(server, `Live ${role}`, { [G]: role });
    const { secret } = await createToken(server, person);
    const doc = await draft(server, title);
    const client = await connectProvider(server.wsUrl, doc.id, {}, { token: secret });
    return { person, token: secret, doc, client };
  }

  it('ACL-4: removing a member closes their open socket with 4403 ACCESS_REVOKED, and their reconnect is refused with 404', async () => {
    const { person, token, doc, client } = await memberWithSocket('member', 'Removal');
    const closed = nextClose(client);
    await removeMember(server, G, person.user.id);
    expect(await closed).toBe(CloseCode.AccessRevoked);
    // 44xx is final for the stock provider: it does not come back.
    await waitFor(() => client.provider.shouldConnect === false || client.provider.wsconnected === false, 'provider stopped');
    expect(await upgradeStatus(server, doc.id, bearer(token))).toBe(404);
    client.destroy();
  });

  it('ACL-5: deactivating a user closes their sockets with 4401 SESSION_ENDED; their credentials stop working', async () => {
    const { person, token, doc, client } = await memberWithSocket('member', 'Deactivation');
    const cookie = await signIn(server, person.email, person.password);
    const bySession = await RawClient.connect(server.wsUrl, doc.id, { token: null, origin: server.url, headers: { cookie } });
    const closed = nextClose(client);
    await server.api(`/api/admin/users/${person.user.id}`, { method: 'PATCH', body: JSON.stringify({ active: false }) });
    expect(await closed).toBe(CloseCode.SessionEnded);
    expect((await bySession.waitForClose()).code).toBe(CloseCode.SessionEnded);
    expect(await upgradeStatus(server, doc.id, bearer(token))).toBe(401);
    expect((await request(server, 'GET', '/api/me', { headers: { cookie } })).status).toBe(401);
    expect((await request(server, 'POST', '/api/session', { body: { email: person.email, password: person.password } })).status).toBe(401);
    client.destroy();
  });

  it('ACL-6: demoting a member closes with 4001 PERMISSIONS_CHANGED; the stock provider reconnects read-only and its edits are not applied', async () => {
    const { person, doc, client } = await memberWithSocket('member', 'Demotion');
    const witness = await connectProvider(server.wsUrl, doc.id);
    appendParagraph(client.doc, 'written while a member');
    await waitFor(() => bodyOf(witness.doc).includes('written while a member'), 'member edit applied');
    const closed = nextClose(client);
    await setRole(server, G, person.user.id, 'reader');
    expect(await closed).toBe(CloseCode.PermissionsChanged);
    // Reconnects by itself (4001 is not final) and syncs again, now as a reader.
    await waitFor(() => client.provider.synced && client.provider.wsconnected, 'provider reconnected');
    appendParagraph(client.doc, 'written while a reader');
    // An edit by someone allowed, made after: when it has arrived, the reader's would have too.
    appendParagraph(witness.doc, 'later edit by the admin');
    await waitFor(() => bodyOf(client.doc).includes('later edit by the admin'), 'reader receives edits');
    const fresh = await connectProvider(server.wsUrl, doc.id);
    expect(bodyOf(fresh.doc)).toContain('later edit by the admin');
    expect(bodyOf(fresh.doc)).not.toContain('written while a reader');
    for (const c of [client, witness, fresh]) c.destroy();
  });

  it('ACL-7: promoting a reader closes with 4001 and the reconnect can edit', async () => {
    const { person, doc, client } = await memberWithSocket('reader', 'Promotion');
    const closed = nextClose(client);
    await setRole(server, G, person.user.id, 'member');
    expect(await closed).toBe(CloseCode.PermissionsChanged);
    await waitFor(() => client.provider.synced && client.provider.wsconnected, 'provider reconnected');
    appendParagraph(client.doc, 'now allowed to write');
    const fresh = await connectProvider(server.wsUrl, doc.id);
    await waitFor(() => bodyOf(fresh.doc).includes('now allowed to write'), 'promoted edit applied');
    client.destroy();
    fresh.destroy();
  });

  it('ACL-8: signing out closes the sockets of that session (4401); revoking a token closes its sockets (4401)', async () => {
    const person = await createPerson(server, 'Signs out', { [G]: 'member' });
    const doc = await draft(server, 'Sign-out');
    const cookie = await signIn(server, person.email, person.password);
    const bySession = await RawClient.connect(server.wsUrl, doc.id, { token: null, origin: server.url, headers: { cookie } });
    const { id: tokenId, secret } = await createToken(server, person);
    const byToken = await RawClient.connect(server.wsUrl, doc.id, { token: secret });
    const other = await createToken(server, person);
    const byOtherToken = await RawClient.connect(server.wsUrl, doc.id, { token: other.secret });

    expect((await request(server, 'DELETE', '/api/session', { headers: { cookie, origin: server.url } })).status).toBe(204);
    expect((await bySession.waitForClose()).code).toBe(CloseCode.SessionEnded);
    expect(byToken.closeEvent).toBeNull();

    expect((await request(server, 'DELETE', `/api/tokens/${tokenId}`, { headers: bearer(other.secret) })).status).toBe(204);
    expect((await byToken.waitForClose()).code).toBe(CloseCode.SessionEnded);
    expect((await byToken.waitForClose()).reason).toBe('SESSION_ENDED');
    expect(byOtherToken.closeEvent).toBeNull();
    expect(await upgradeStatus(server, doc.id, bearer(secret))).toBe(401);
    expect(await upgradeStatus(server, doc.id, { cookie, origin: server.url })).toBe(401);
    byOtherToken.close();
  });
});

describe('read-only connections and awareness identity', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await ServerProcess.start();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it("SEC-1: a reader's crafted Update and Step2 over a raw socket are not applied: the stored records are byte-identical", async () => {
    const reader = await createPerson(server, 'Crafty Reader', { [G]: 'reader' });
    const { secret } = await createToken(server, reader);
    const doc = await draft(server, 'Tamper-proof');
    const writer = await RawClient.connect(server.wsUrl, doc.id);
    appendParagraph(writer.doc, 'the agreed wording');
    await writer.waitForAck();
    writer.close();
    // Flushed and quiet: what a SIGTERM leaves on disk.
    expect(await server.kill('SIGTERM')).toBe(0);
    await server.launch();
    const before = await documentFiles(server, doc.id);

    const raw = await tryUpgrade(server.wsUrl, `/collab/${doc.id}?ack=1`, bearer(secret));
    expect(raw.status).toBe(101);
    const evil = new Y.Doc();
    appendParagraph(evil, 'INJECTED BY A READER');
    const update = Y.encodeStateAsUpdate(evil);
    raw.ws!.send(encodeUpdateMessage(update));
    raw.ws!.send(syncFrame(SyncMessageType.Step2, update));
    // A garbage payload behind a valid head is dropped too, unread: no 4400, because it is never decoded.
    raw.ws!.send(Uint8Array.from([MessageType.Sync, SyncMessageType.Update, 0xff, 0xff, 0xff, 0x7f, 1]));
    raw.ws!.send(encodeSyncStep1(new Y.Doc()));
    await waitFor(() => raw.frames.filter((f) => f[0] === MessageType.Sync && f[1] === SyncMessageType.Step2).length === 1, 'answer to the probe');
    expect(raw.frames.some((f) => f[0] === MessageType.Saved)).toBe(false);
    expect(raw.ws!.readyState).toBe(raw.ws!.OPEN);
    raw.ws!.close();

    expect(await server.kill('SIGTERM')).toBe(0);
    expect(await documentFiles(server, doc.id)).toEqual(before);
    await server.launch();
    const check = await connectProvider(server.wsUrl, doc.id);
    expect(bodyOf(check.doc)).toContain('the agreed wording');
    expect(bodyOf(check.doc)).not.toContain('INJECTED');
    check.destroy();
    const dropped = server.logs.filter((line) => line.msg.startsWith('dropped an update from a read-only connection'));
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped[0]!.level).toBe(40); // warn
  });

  it('SEC-2: the server stamps the account onto awareness; nobody can show up as someone else or speak for another client id', async () => {
    const ana = await createPerson(server, 'Ana Stamped', { [G]: 'member' });
    const bob = await createPerson(server, 'Bob Spoofer', { [G]: 'reader' });
    const doc = await draft(server, 'Presence');
    const anaClient = await connectProvider(server.wsUrl, doc.id, {}, { token: (await createToken(server, ana)).secret });
    const bobRaw = await RawClient.connect(server.wsUrl, doc.id, { token: (await createToken(server, bob)).secret });
    const witness = await connectProvider(server.wsUrl, doc.id);

    anaClient.provider.awareness.setLocalStateField('user', { name: 'Ana', color: '#ff0000' });
    await waitFor(() => witness.provider.awareness.getStates().get(anaClient.doc.clientID)?.user?.id === ana.user.id, 'Ana stamped');
    expect(witness.provider.awareness.getStates().get(anaClient.doc.clientID)?.user).toEqual({ id: ana.user.id, name: ana.user.name, color: ana.user.color });

    // Bob claims to be Ana, under his own client id, and then under Ana's client id.
    const forged = new Awareness(new Y.Doc());
    forged.setLocalStateField('user', { id: ana.user.id, name: ana.user.name, color: ana.user.color });
    forged.setLocalStateField('cursor', { anchor: 3 });
    bobRaw.send(encodeAwarenessMessage(encodeAwarenessUpdate(forged, [forged.clientID])));
    await waitFor(() => witness.provider.awareness.getStates().has(forged.clientID), 'Bob present');
    expect(witness.provider.awareness.getStates().get(forged.clientID)?.user).toEqual({ id: bob.user.id, name: bob.user.name, color: bob.user.color });

    const hijack = new Awareness(new Y.Doc());
    hijack.clientID = anaClient.doc.clientID;
    hijack.setLocalState({ user: { name: 'Bob as Ana' }, cursor: null });
    // Far ahead of Ana's clock, so it would win if it were applied.
    hijack.meta.set(hijack.clientID, { clock: 10_000, lastUpdated: Date.now() });
    bobRaw.send(encodeAwarenessMessage(encodeAwarenessUpdate(hijack, [hijack.clientID])));
    // A later state from Bob himself proves the server has handled the hijack attempt.
    forged.setLocalStateField('cursor', { anchor: 4 });
    bobRaw.send(encodeAwarenessMessage(encodeAwarenessUpdate(forged, [forged.clientID])));
    await waitFor(() => witness.provider.awareness.getStates().get(forged.clientID)?.cursor?.anchor === 4, 'Bob again');
    expect(witness.provider.awareness.getStates().get(anaClient.doc.clientID)?.user?.name).toBe(ana.user.name);

    forged.destroy();
    hijack.destroy();
    for (const c of [anaClient, witness]) c.destroy();
    bobRaw.close();
  });
});
