import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerProcess } from '../helpers/serverProcess.js';
import { RawClient, appendParagraph, bodyOf, connectProvider, waitFor } from '../helpers/collabClients.js';
import { createDraft } from '../helpers/workspace.js';

/** Reads a document's body through a fresh provider, the way a new visitor would see it. */
async function bodyOnServer(server: ServerProcess, docId: string): Promise<string> {
  const reader = await connectProvider(server.wsUrl, docId);
  const body = bodyOf(reader.doc);
  reader.destroy();
  return body;
}

describe('durability of acknowledged edits', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await ServerProcess.start();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('DURA-1: content is intact after a restart', async () => {
    const { id } = await createDraft(server);
    const client = await connectProvider(server.wsUrl, id);
    appendParagraph(client.doc, 'survives a restart');
    const expected = bodyOf(client.doc);
    const witness = await connectProvider(server.wsUrl, id);
    await waitFor(() => bodyOf(witness.doc) === expected, 'server has the edit');
    client.destroy();
    witness.destroy();
    await server.restart();
    expect(await bodyOnServer(server, id)).toBe(expected);
  });

  it('DURA-2: SIGKILL right after a Saved acknowledgement loses nothing that was acknowledged', async () => {
    const { id } = await createDraft(server);
    const acknowledged: string[] = [];
    for (let round = 0; round < 5; round++) {
      const client = await RawClient.connect(server.wsUrl, id);
      for (let i = 0; i < 10; i++) appendParagraph(client.doc, `round ${round} line ${i}`);
      await client.waitForAck();
      acknowledged.push(...Array.from({ length: 10 }, (_, i) => `round ${round} line ${i}`));
      // No close, no flush: the process dies the instant the ack has arrived.
      await server.kill('SIGKILL');
      client.close();
      await server.launch();
      const body = await bodyOnServer(server, id);
      for (const line of acknowledged) expect(body).toContain(line);
    }
  });

  it('DURA-3: SIGTERM flushes every received update before exiting with 0', async () => {
    const { id } = await createDraft(server);
    const writer = await RawClient.connect(server.wsUrl, id, { ack: false });
    const witness = await connectProvider(server.wsUrl, id);
    for (let i = 0; i < 300; i++) appendParagraph(writer.doc, `burst ${i}`);
    // The witness seeing the last line proves the server applied all of them; none was acknowledged.
    await waitFor(() => bodyOf(witness.doc).includes('burst 299'), 'server applied the burst');
    const expected = bodyOf(witness.doc);
    witness.destroy();
    expect(await server.kill('SIGTERM')).toBe(0);
    writer.close();
    await server.launch();
    expect(await bodyOnServer(server, id)).toBe(expected);
  });
});
