import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../shared/schema/index.js';
import { ServerProcess } from '../helpers/serverProcess.js';
import { appendParagraph, bodyOf, connectProvider, waitFor, type ProviderClient } from '../helpers/collabClients.js';
import { createDraft } from '../helpers/workspace.js';
import { blockTexts, paragraphText } from '../crash/crashClient.js';
import { FaultProxy } from '../reliability/faultProxy.js';

/**
 * Stock WebsocketProviders talking to the real server through a loopback fault proxy
 * (docs/RELIABILITY.md, NET-6..NET-8). Assertions are about what the documents hold; the waits
 * are bounded only so that a hang becomes a failure.
 */

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function sameState(docs: Y.Doc[]): boolean {
  const vectors = docs.map((doc) => hex(Y.encodeStateVector(doc)));
  return vectors.every((vector) => vector === vectors[0]) && docs.every((doc) => bodyOf(doc) === bodyOf(docs[0]!));
}

function counts(texts: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const text of texts) map.set(text, (map.get(text) ?? 0) + 1);
  return map;
}

/** Index of the top-level paragraph whose text is `text`, or -1. */
function findParagraph(doc: Y.Doc, text: string): number {
  return doc
    .getXmlFragment(DOCUMENT_FRAGMENT)
    .toArray()
    .findIndex((node) => node instanceof Y.XmlElement && paragraphText(node) === text);
}

function deleteParagraph(doc: Y.Doc, text: string): void {
  const index = findParagraph(doc, text);
  if (index < 0) throw new Error(`no paragraph "${text}"`);
  doc.getXmlFragment(DOCUMENT_FRAGMENT).delete(index, 1);
}

/** Types `suffix` at the end of a paragraph, as a user would. */
function appendToParagraph(doc: Y.Doc, text: string, suffix: string): void {
  const node = doc.getXmlFragment(DOCUMENT_FRAGMENT).get(findParagraph(doc, text));
  const inner = node instanceof Y.XmlElement ? node.get(0) : undefined;
  if (!(inner instanceof Y.XmlText)) throw new Error(`no paragraph "${text}"`);
  inner.insert(inner.length, suffix);
}

describe('network faults between stock providers and the real server', () => {
  let server: ServerProcess;
  let proxy: FaultProxy;
  const open: ProviderClient[] = [];
  beforeAll(async () => {
    server = await ServerProcess.start();
    proxy = await FaultProxy.start(Number(new URL(server.url).port));
  });
  afterEach(() => {
    proxy.goOnline();
    proxy.resume();
    proxy.delayMs = 0;
    for (const client of open.splice(0)) client.destroy();
  });
  afterAll(async () => {
    await proxy.close();
    await server.dispose();
  });

  async function provider(docId: string): Promise<ProviderClient> {
    const client = await connectProvider(proxy.wsUrl, docId);
    open.push(client);
    return client;
  }

  it('NET-6: edits made through cuts, stalls and delays reach everyone exactly once', async () => {
    const { id } = await createDraft(server);
    const a = await provider(id);
    const b = await provider(id);
    let closes = 0;
    for (const client of [a, b]) client.provider.on('connection-close', () => closes++);
    const expected: string[] = [];
    const edit = (who: ProviderClient, text: string): void => {
      appendParagraph(who.doc, text);
      expected.push(text);
    };
    const phases: [string, () => void][] = [
      ['delay', () => (proxy.delayMs = 40)],
      ['cut', () => proxy.cut()],
      ['stall', () => proxy.stall()],
      ['resume', () => proxy.resume()],
      ['cut while delayed', () => proxy.cut()],
      ['clear', () => (proxy.delayMs = 0)],
    ];
    for (const [name, fault] of phases) {
      fault();
      for (let i = 0; i < 10; i++) {
        edit(i % 2 === 0 ? a : b, `${name} ${i}`);
        await sleep(15);
      }
    }
    const reader = await connectProvider(server.wsUrl, id);
    open.push(reader);
    await waitFor(() => sameState([a.doc, b.doc, reader.doc]) && expected.every((text) => bodyOf(reader.doc).includes(text)), 'A, B and the server converged', 30_000);
    const found = counts(blockTexts(reader.doc));
    for (const text of expected) expect(found.get(text), text).toBe(1);
    // Both cuts broke both connections: the providers really had to reconnect.
    expect(closes).toBeGreaterThanOrEqual(4);
  });

  it('NET-7: a stalled connection that looks alive delivers everything once it flows again', async () => {
    const { id } = await createDraft(server);
    const a = await provider(id);
    const b = await provider(id);
    proxy.stall();
    for (let i = 0; i < 50; i++) appendParagraph(a.doc, `during stall ${i}`);
    await sleep(300);
    // Nothing can have arrived: the connection is open but forwards nothing.
    expect(bodyOf(b.doc)).not.toContain('during stall 0');
    proxy.resume();
    await waitFor(() => sameState([a.doc, b.doc]) && bodyOf(b.doc).includes('during stall 49'), 'B received the stalled edits', 30_000);
  });

  it('NET-8: two clients offline for a long stretch with large divergent edits converge without duplicates', async () => {
    const { id } = await createDraft(server);
    const a = await provider(id);
    const b = await provider(id);
    const template = counts(blockTexts(a.doc));
    for (let i = 0; i < 60; i++) appendParagraph(a.doc, `shared ${i}`);
    await waitFor(() => sameState([a.doc, b.doc]) && bodyOf(b.doc).includes('shared 59'), 'shared section everywhere');

    proxy.goOffline();
    await waitFor(() => !a.provider.wsconnected && !b.provider.wsconnected, 'both providers offline');
    // Hundreds of paragraphs each, overlapping deletions of shared paragraphs, and both editing
    // the text of the same shared paragraphs.
    for (let i = 0; i < 300; i++) appendParagraph(a.doc, `from A ${i}`);
    for (let i = 0; i < 300; i++) appendParagraph(b.doc, `from B ${i}`);
    for (let i = 0; i < 20; i++) deleteParagraph(a.doc, `shared ${i}`);
    for (let i = 10; i < 30; i++) deleteParagraph(b.doc, `shared ${i}`);
    for (let i = 40; i < 50; i++) appendToParagraph(a.doc, `shared ${i}`, ' +A');
    for (let i = 45; i < 55; i++) appendToParagraph(b.doc, `shared ${i}`, ' +B');
    // Still offline: the providers keep retrying against a proxy that refuses them.
    await sleep(1000);
    expect(findParagraph(a.doc, 'from B 0')).toBe(-1);

    proxy.goOnline();
    const reader = await connectProvider(server.wsUrl, id); // straight to the server
    open.push(reader);
    await waitFor(
      () => a.provider.synced && b.provider.synced && sameState([a.doc, b.doc, reader.doc]) && bodyOf(reader.doc).includes('from B 299') && bodyOf(reader.doc).includes('from A 299'),
      'A, B and the server converged after the offline stretch',
      30_000,
    );

    const found = counts(blockTexts(reader.doc));
    for (let i = 0; i < 300; i++) {
      expect(found.get(`from A ${i}`)).toBe(1);
      expect(found.get(`from B ${i}`)).toBe(1);
    }
    for (let i = 0; i < 60; i++) {
      const versions = [...found.keys()].filter((text) => new RegExp(`^shared ${i}( \\+[AB])*$`).test(text));
      if (i < 30) {
        expect(versions, `shared ${i} was deleted by A or B`).toEqual([]);
        continue;
      }
      expect(versions.length, `shared ${i} exists once`).toBe(1);
      // Both users' typing survives in the same paragraph (in an order every replica agrees on).
      if (i >= 40 && i < 50) expect(versions[0]).toContain('+A');
      if (i >= 45 && i < 55) expect(versions[0]).toContain('+B');
    }
    for (const [text, n] of template) expect(found.get(text), `template block "${text}"`).toBe(n);
    for (const [text, n] of found) if (!template.has(text)) expect(n, `"${text}" appears once`).toBe(1);
  });
});
