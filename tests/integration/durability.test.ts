import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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

  it('DURA-4: SIGKILL around a compaction loses nothing that was acknowledged, and edits made during it are acknowledged (COMPACT-1)', async () => {
    const { id } = await createDraft(server);
    const snapshot = path.join(server.dataDir, 'journal', 'snapshots');
    const compacted = async (): Promise<boolean> => (await readdir(snapshot).catch(() => [] as string[])).includes(`${id}.snap`);
    const client = await RawClient.connect(server.wsUrl, id);
    const lines: Array<{ line: string; seq: number }> = [];
    const write = (): void => {
      const line = `line ${lines.length} `;
      appendParagraph(client.doc, line + 'x'.repeat(16 * 1024));
      lines.push({ line, seq: client.sent });
    };
    // Past the store's 1 MiB compaction threshold without waiting for acknowledgements, so that
    // edits keep arriving while the compaction holds the document's appends.
    while (!(await compacted())) {
      if (lines.length >= 400) throw new Error('no compaction after 6 MiB of edits');
      write();
      await sleep(2);
    }
    for (let i = 0; i < 10; i++) {
      write();
      await sleep(1);
    }
    const beforeKill = client.acked;
    await server.kill('SIGKILL');
    client.close();
    await server.launch();
    const body = await bodyOnServer(server, id);
    const acknowledged = lines.filter(({ seq }) => seq <= beforeKill);
    expect(acknowledged.length).toBeGreaterThan(60);
    for (const { line } of acknowledged) expect(body).toContain(line);

    // Edits made while the next compaction runs are all acknowledged once it is done.
    const snapshotFile = path.join(snapshot, `${id}.snap`);
    const first = (await stat(snapshotFile)).mtimeMs;
    const writer = await RawClient.connect(server.wsUrl, id);
    for (let i = 0; i < 200 && (await stat(snapshotFile)).mtimeMs === first; i++) {
      appendParagraph(writer.doc, `after restart ${i} ` + 'y'.repeat(16 * 1024));
      await sleep(2);
    }
    expect((await stat(snapshotFile)).mtimeMs).not.toBe(first);
    appendParagraph(writer.doc, 'the last line');
    await writer.waitForAck();
    writer.close();
    expect(await bodyOnServer(server, id)).toContain('the last line');
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
