import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CloseCode, MessageType, SyncMessageType, encodeUpdateMessage } from '../../shared/protocol/index.js';
import { ServerProcess } from '../helpers/serverProcess.js';
import { RawClient, appendParagraph, bodyOf, connectProvider, waitFor } from '../helpers/collabClients.js';
import { createDraft } from '../helpers/workspace.js';

const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_DOCUMENT_BYTES = 512 * 1024;

function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** A valid update that inserts `bytes` characters of text. */
function bigUpdate(bytes: number): Uint8Array {
  const doc = new Y.Doc();
  appendParagraph(doc, 'x'.repeat(bytes));
  return Y.encodeStateAsUpdate(doc);
}

const MALFORMED: Array<[string, Uint8Array | string]> = [
  ['random bytes', Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02])],
  ['empty frame', new Uint8Array(0)],
  ['unknown message type', Uint8Array.from([42, 0])],
  ['unknown sync type', syncFrame(7, new Uint8Array([0]))],
  ['update with garbage payload', syncFrame(SyncMessageType.Update, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]))],
  ['step2 truncated', syncFrame(SyncMessageType.Step2, bigUpdate(100)).slice(0, 40)],
  ['length prefix larger than the frame', Uint8Array.from([MessageType.Sync, SyncMessageType.Update, 0xff, 0xff, 0xff, 0x7f, 1])],
  ['text frame', 'hello'],
];

describe('hostile and oversized input', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await ServerProcess.start({
      MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
      MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT_BYTES),
    });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it.each(MALFORMED)('BAD-1: %s closes only that connection with 4400 and changes nothing', async (_name, frame) => {
    const { id } = await createDraft(server);
    const other = await createDraft(server);
    const bystander = await connectProvider(server.wsUrl, other.id);
    const first = await connectProvider(server.wsUrl, id);
    const before = bodyOf(first.doc);
    first.destroy();

    const attacker = await RawClient.connect(server.wsUrl, id);
    attacker.ws.send(frame);
    const closed = await attacker.waitForClose();
    expect(closed.code).toBe(CloseCode.MalformedMessage);
    expect(closed.reason).toBe('MALFORMED_MESSAGE');

    // The document is unchanged and the other document's clients still work.
    const after = await connectProvider(server.wsUrl, id);
    expect(bodyOf(after.doc)).toBe(before);
    const peer = await connectProvider(server.wsUrl, other.id);
    appendParagraph(bystander.doc, 'still serving');
    await waitFor(() => bodyOf(peer.doc).includes('still serving'), 'other document still syncing');
    for (const client of [bystander, after, peer]) client.destroy();
  });

  it('BAD-2: a frame larger than MAX_MESSAGE_BYTES closes the connection with 1009', async () => {
    const { id } = await createDraft(server);
    const attacker = await RawClient.connect(server.wsUrl, id);
    attacker.ws.send(encodeUpdateMessage(bigUpdate(MAX_MESSAGE_BYTES + 1024)));
    expect((await attacker.waitForClose()).code).toBe(CloseCode.MessageTooBig);
    const reader = await connectProvider(server.wsUrl, id);
    expect(bodyOf(reader.doc)).not.toContain('xxxx');
    reader.destroy();
  });

  it('BAD-3: growing a document past MAX_DOCUMENT_BYTES closes with 4413 and stores nothing of it', async () => {
    const { id } = await createDraft(server);
    const writer = await RawClient.connect(server.wsUrl, id);
    // Each frame is under the message limit; together they exceed the document limit.
    const chunk = 200 * 1024;
    for (let i = 0; i < 4 && writer.closeEvent === null; i++) {
      appendParagraph(writer.doc, `${i}`.repeat(chunk));
      await waitFor(() => writer.acked >= writer.sent || writer.closeEvent !== null, 'ack or close');
    }
    const closed = await writer.waitForClose();
    expect(closed.code).toBe(CloseCode.DocumentTooLarge);
    expect(closed.reason).toBe('DOCUMENT_TOO_LARGE');
    const reader = await connectProvider(server.wsUrl, id);
    expect(Y.encodeStateAsUpdate(reader.doc).byteLength).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
    reader.destroy();
  });

  it('BAD-4: the server is still alive and serving after all of the above', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
