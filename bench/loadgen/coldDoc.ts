import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { FRAGMENT } from './content.js';
import { prng } from './util.js';

/**
 * The cold-load document: a long meeting follow-up written by 8 people over ~70k small edits
 * (mostly typing at the end of the paragraph being written, some edits in recent and older
 * paragraphs, some deletions), ≈2 M characters in ≈5,000 paragraphs, ≈2.8 MB encoded. Built
 * deterministically and cached, because building it costs several seconds of CPU.
 *
 * It is handed to the servers as it was written: in order, as updates of `editsPerChunk` edits
 * each (≈14 of them), not as one 2.8 MB update. A document grows that way in real use, and
 * Roundtable refuses single updates of more than MAX_UPDATE_OPERATIONS (30,000) operations,
 * which one update holding all 70k edits exceeds.
 */
export const COLD_DOC = { edits: 70_000, authors: 8, editsPerParagraph: 14, editsPerChunk: 5_000, version: 3 } as const;

const WORDS = (
  'the group agreed to review apprenticeship quality framework before next meeting partners ' +
  'should share their national reports on validation of prior learning and micro credentials ' +
  'action point secretariat drafts summary of findings regarding work based learning in small ' +
  'enterprises teachers trainers mobility funding digital skills green transition inclusion'
).split(' ');

/** The document's updates in the order they were made, merged into chunks of `editsPerChunk` edits. */
export function buildColdDoc(): Uint8Array[] {
  const random = prng(20_240_601);
  const doc = new Y.Doc({ gc: true });
  const chunks: Uint8Array[] = [];
  let pending: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => pending.push(update));
  const endChunk = (): void => {
    if (pending.length === 0) return;
    chunks.push(Y.mergeUpdates(pending));
    pending = [];
  };
  const fragment = doc.getXmlFragment(FRAGMENT);
  const authors = Array.from({ length: COLD_DOC.authors }, (_, i) => 1000 + i);
  const texts: Y.XmlText[] = [];
  const phrase = (): string => {
    let out = '';
    const target = 16 + Math.floor(random() * 20);
    while (out.length < target) out += `${WORDS[Math.floor(random() * WORDS.length)]} `;
    return out;
  };
  const newParagraph = (): void => {
    doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      fragment.insert(fragment.length, [paragraph]);
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      texts.push(text);
    });
  };
  newParagraph();
  for (let edit = 0; edit < COLD_DOC.edits; edit++) {
    if (edit % COLD_DOC.editsPerChunk === 0) endChunk();
    // A different author takes over every ~25 edits (one person types a stretch, then another).
    if (edit % 25 === 0) doc.clientID = authors[Math.floor(random() * authors.length)]!;
    if (edit % COLD_DOC.editsPerParagraph === 0 && edit > 0) newParagraph();
    const roll = random();
    let text: Y.XmlText;
    if (roll < 0.6) text = texts[texts.length - 1]!;
    else if (roll < 0.95) text = texts[Math.max(0, texts.length - 1 - Math.floor(random() * 20))]!;
    else text = texts[Math.floor(random() * texts.length)]!;
    if (random() < 0.04 && text.length > 20) {
      const at = Math.floor(random() * (text.length - 10));
      doc.transact(() => text.delete(at, 1 + Math.floor(random() * 9)));
      continue;
    }
    const at = roll < 0.6 ? text.length : Math.floor(random() * (text.length + 1));
    doc.transact(() => text.insert(at, phrase()));
  }
  endChunk();
  doc.destroy();
  return chunks;
}

/** The cold-load document's chunks, from `cacheDir` when built before (length-prefixed in one file). */
export function coldDocUpdates(cacheDir: string): Uint8Array[] {
  const file = path.join(cacheDir, `cold-doc-v${COLD_DOC.version}-${COLD_DOC.edits}.bin`);
  if (existsSync(file)) return splitChunks(readFileSync(file));
  const chunks = buildColdDoc();
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(`${file}.tmp`, joinChunks(chunks));
  renameSync(`${file}.tmp`, file);
  return chunks;
}

function joinChunks(chunks: readonly Uint8Array[]): Buffer {
  return Buffer.concat(
    chunks.flatMap((chunk) => {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(chunk.byteLength);
      return [length, chunk];
    }),
  );
}

function splitChunks(data: Buffer): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  // Bounded by the data: every chunk consumes its 4-byte length and its bytes.
  for (let offset = 0; offset + 4 <= data.length; ) {
    const length = data.readUInt32LE(offset);
    chunks.push(new Uint8Array(data.subarray(offset + 4, offset + 4 + length)));
    offset += 4 + length;
  }
  return chunks;
}
