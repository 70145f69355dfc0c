import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeSyncStep1 } from '../../shared/protocol/index.js';
import { ServerProcess } from '../helpers/serverProcess.js';
import { RawClient, appendParagraph, bodyOf, connectProvider, waitFor } from '../helpers/collabClients.js';
import { createDraft } from '../helpers/workspace.js';

/**
 * Large documents (≥ 64 KiB stored) are served from their stored bytes while the server builds
 * them in slices (docs/ARCHITECTURE.md, "Loading large documents"). These tests run the real
 * server process, restart it so that the document is loaded from disk, and check what clients
 * get — not when (no timing assertions; the bench measures that).
 */
describe('loading large documents (real server, after a restart)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await ServerProcess.start();
  });
  afterAll(async () => {
    await server.dispose();
  });

  /** Two writers fill a document past the sliced-load threshold, with deletions, in updates of bounded size. */
  async function largeDocument(): Promise<{ id: string; body: string; stateVector: Uint8Array }> {
    const { id } = await createDraft(server);
    const a = await RawClient.connect(server.wsUrl, id);
    const b = await RawClient.connect(server.wsUrl, id);
    for (let round = 0; round < 40; round++) {
      const writer = round % 2 === 0 ? a : b;
      writer.doc.transact(() => {
        for (let i = 0; i < 25; i++) appendParagraph(writer.doc, `round ${round} line ${i}: ${'a fairly long sentence of meeting notes '.repeat(3)}`);
      });
      if (round % 5 === 4) writer.doc.getXmlFragment('default').delete(round, 3);
      await writer.waitForAck();
    }
    await waitFor(() => bodyOf(a.doc) === bodyOf(b.doc), 'writers converged');
    expect(Y.encodeStateAsUpdate(a.doc).byteLength).toBeGreaterThan(128 * 1024);
    const result = { id, body: bodyOf(a.doc), stateVector: Y.encodeStateVector(a.doc) };
    a.close();
    b.close();
    return result;
  }

  it('LOAD-2: after a restart a fresh client gets the whole document, and a returning client the rest of it and the server\'s state vector', async () => {
    const { id, body, stateVector } = await largeDocument();
    await server.restart();
    // They ask right after the restart, while the server is (most likely) still building the document.
    const fresh = await RawClient.connect(server.wsUrl, id, { sync: false });
    const returning = await RawClient.connect(server.wsUrl, id, { sync: false });
    const known = await connectProviderBody(server, id); // a third one, via the stock provider, to compare
    fresh.send(encodeSyncStep1(fresh.doc));
    await waitFor(() => fresh.synced, 'fresh client synced');
    expect(bodyOf(fresh.doc)).toBe(body);
    expect(fresh.doc.store.pendingStructs).toBeNull();
    expect(Y.decodeStateVector(Y.encodeStateVector(fresh.doc))).toEqual(Y.decodeStateVector(stateVector));
    appendParagraph(returning.doc, 'offline line'); // sent as an Update right away
    returning.send(encodeSyncStep1(returning.doc));
    await waitFor(() => returning.synced && bodyOf(returning.doc).length === body.length + '<paragraph>offline line</paragraph>'.length, 'returning client has the document');
    // The fresh client gets the returning client's line as a broadcast.
    await waitFor(() => bodyOf(fresh.doc) === bodyOf(returning.doc), 'fresh client got the offline line');
    expect(known).toBe(body);
    // And the document did take the sliced path (not the at-once load of small documents).
    await waitFor(() => server.logs.some((line) => line.msg === 'large document built in slices' && line.docId === id), 'sliced load logged');
    fresh.close();
    returning.close();
  });

  it('LOAD-4: an edit sent while the document is being built is applied, broadcast, acknowledged and durable', async () => {
    const { id, body } = await largeDocument();
    await server.restart();
    const witness = await RawClient.connect(server.wsUrl, id, { sync: false });
    const writer = await RawClient.connect(server.wsUrl, id, { sync: false });
    witness.send(encodeSyncStep1(witness.doc));
    writer.send(encodeSyncStep1(writer.doc));
    // The writer edits before it has the document: its update builds on nothing stored.
    appendParagraph(writer.doc, 'typed during loading');
    await writer.waitForAck();
    await waitFor(() => bodyOf(witness.doc).includes('typed during loading') && witness.synced, 'witness got the edit');
    // Everything stored, plus the new paragraph (wherever Yjs put it).
    expect(bodyOf(witness.doc).length).toBe(body.length + '<paragraph>typed during loading</paragraph>'.length);
    witness.close();
    writer.close();
    // Acknowledged means durable: SIGKILL, restart, and it is there.
    await server.kill('SIGKILL');
    await server.launch();
    const after = await connectProviderBody(server, id);
    expect(after).toContain('typed during loading');
    expect(after.length).toBeGreaterThan(body.length);
  });
});

async function connectProviderBody(server: ServerProcess, id: string): Promise<string> {
  const reader = await connectProvider(server.wsUrl, id);
  const body = bodyOf(reader.doc);
  reader.destroy();
  return body;
}
