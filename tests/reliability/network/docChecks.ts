import * as Y from 'yjs';
import type { Room } from '../../../server/collab/Room.js';
import { DOCUMENT_FRAGMENT } from '../../../shared/schema/index.js';
import type { SimClient } from './simClient.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Describes what differs between two docs (state vector, body, updates left pending), or returns []. */
export function differences(label: string, doc: Y.Doc, reference: Y.Doc): string[] {
  const problems: string[] = [];
  if (hex(Y.encodeStateVector(doc)) !== hex(Y.encodeStateVector(reference))) {
    problems.push(`${label}: state vector differs from the room's`);
  }
  const body = doc.getXmlFragment(DOCUMENT_FRAGMENT).toString();
  const expected = reference.getXmlFragment(DOCUMENT_FRAGMENT).toString();
  if (body !== expected) problems.push(`${label}: body differs from the room's (${body.length} vs ${expected.length} chars)`);
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
    problems.push(`${label}: holds updates whose dependencies never arrived`);
  }
  return problems;
}

/**
 * The end-of-run invariants: every client equals the room, the room has nothing pending, and what
 * is on the (simulated) disk loads to the same document as the room holds in memory.
 */
export function compareWithRoom(room: Room, clients: readonly SimClient[], diskRecords: readonly Uint8Array[]): string[] {
  const problems: string[] = [];
  if (room.doc.store.pendingStructs !== null || room.doc.store.pendingDs !== null) {
    problems.push('room: holds updates whose dependencies never arrived');
  }
  for (const client of clients) problems.push(...differences(client.name, client.doc, room.doc));
  const reloaded = new Y.Doc();
  try {
    if (diskRecords.length > 0) Y.applyUpdate(reloaded, Y.mergeUpdates([...diskRecords]));
    problems.push(...differences('disk', reloaded, room.doc));
  } finally {
    reloaded.destroy();
  }
  return problems;
}
