import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  MessageType,
  carriesUpdate,
  classifyFrame,
  encodeSyncStep1,
  encodeUpdateMessage,
  readSavedSeq,
} from '../../shared/protocol/index.js';
import { DOCUMENT_FRAGMENT } from '../../shared/schema/index.js';
import { authHeaders } from '../helpers/collabClients.js';

/** One local change and the update-carrying frame that carried it on the current socket. */
interface Change {
  kind: 'create' | 'delete';
  text: string;
  /** Socket number and frame number (PROTOCOL.md numbering) once sent; 0 while not carried. */
  socket: number;
  seq: number;
}

/**
 * A browser tab for the crash test: its Y.Doc outlives every socket (as a tab with IndexedDB
 * outlives server restarts), it speaks the raw protocol with `?ack=1`, and it keeps the
 * bookkeeping the test needs: which of its own paragraph creations and deletions a Saved
 * acknowledgement has covered. Edits are made only while synced or while offline, so every
 * change is carried either by the Update sent at once or by the next handshake's Step2 (the
 * first update-carrying frame of a socket), which makes the frame a change rode in exact.
 */
export class CrashClient {
  readonly doc = new Y.Doc();
  /** Own paragraphs whose creation was acknowledged and that this client has not deleted since. */
  readonly mustHave = new Set<string>();
  /** Own paragraphs whose deletion was acknowledged. */
  readonly mustNotHave = new Set<string>();
  /** Own paragraphs present locally, for choosing one to delete. */
  readonly own: string[] = [];
  synced = false;
  acks = 0;
  private ws: WebSocket | null = null;
  private socketNumber = 0;
  private sent = 0;
  private acked = 0;
  private changes: Change[] = [];

  constructor(readonly name: string) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this && this.synced) this.send(encodeUpdateMessage(update));
    });
  }

  get connected(): boolean {
    return this.ws !== null;
  }

  /** Opens a socket (resolves when open, or rejects); the handshake then runs on its own. */
  connect(wsUrl: string, docId: string): Promise<void> {
    // The server's test credentials, as RawClient and connectProvider send them.
    const ws = new WebSocket(`${wsUrl}/collab/${docId}?ack=1`, { headers: authHeaders(wsUrl) });
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    this.socketNumber++;
    this.sent = 0;
    this.acked = 0;
    this.synced = false;
    // Whatever the dead socket carried without an ack must ride in the next handshake.
    for (const change of this.changes) change.socket = 0;
    ws.on('message', (data: Buffer) => {
      if (this.ws === ws) this.receive(new Uint8Array(data));
    });
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.synced = false;
    });
    ws.on('error', () => {}); // a killed server resets the socket; 'close' follows
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        this.send(encodeSyncStep1(this.doc));
        resolve();
      });
      ws.once('close', () => reject(new Error(`${this.name}: socket closed before it opened`)));
    });
  }

  disconnect(): void {
    const ws = this.ws;
    this.ws = null;
    this.synced = false;
    ws?.terminate();
  }

  /** Appends a paragraph of its own; only while synced or offline (see the class comment). */
  addParagraph(text: string): void {
    this.assertCanEdit();
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    this.record({ kind: 'create', text, socket: 0, seq: 0 }, () => this.doc.getXmlFragment(DOCUMENT_FRAGMENT).push([paragraph]));
    this.own.push(text);
  }

  /** Deletes one of its own paragraphs; its presence is uncertain until the deletion is acknowledged. */
  deleteParagraph(text: string): void {
    this.assertCanEdit();
    const body = this.doc.getXmlFragment(DOCUMENT_FRAGMENT);
    const index = body.toArray().findIndex((node) => node instanceof Y.XmlElement && paragraphText(node) === text);
    if (index < 0) throw new Error(`${this.name}: own paragraph "${text}" is missing locally`);
    this.mustHave.delete(text);
    this.own.splice(this.own.indexOf(text), 1);
    this.record({ kind: 'delete', text, socket: 0, seq: 0 }, () => body.delete(index, 1));
  }

  /** True once every change made so far has been acknowledged. */
  get allAcknowledged(): boolean {
    return this.changes.length === 0;
  }

  private assertCanEdit(): void {
    if (this.ws !== null && !this.synced) throw new Error(`${this.name}: edits during a handshake are not tracked exactly`);
  }

  private record(change: Change, edit: () => void): void {
    const before = this.sent;
    edit();
    if (this.sent > before) {
      change.socket = this.socketNumber;
      change.seq = this.sent;
    }
    this.changes.push(change);
  }

  private send(frame: Uint8Array): void {
    const ws = this.ws;
    if (ws === null || ws.readyState !== ws.OPEN) return;
    if (carriesUpdate(classifyFrame(frame))) {
      this.sent++;
      // The first update-carrying frame of a socket is the Step2, which carries every change not yet acknowledged.
      for (const change of this.changes) {
        if (change.socket === 0) {
          change.socket = this.socketNumber;
          change.seq = this.sent;
        }
      }
    }
    ws.send(frame);
  }

  private receive(frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.Saved) {
      this.acknowledge(readSavedSeq(decoder));
    } else if (type === MessageType.Sync) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.Sync);
      const syncType = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
      if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder));
      if (syncType === syncProtocol.messageYjsSyncStep2) this.synced = true;
    }
  }

  private acknowledge(seq: number): void {
    this.acks++;
    this.acked = Math.max(this.acked, seq);
    const remaining: Change[] = [];
    for (const change of this.changes) {
      if (change.socket !== this.socketNumber || change.seq === 0 || change.seq > this.acked) {
        remaining.push(change);
        continue;
      }
      if (change.kind === 'create') {
        // A deletion made since then makes its presence uncertain again; only its own ack settles it.
        if (this.own.includes(change.text)) this.mustHave.add(change.text);
      } else {
        this.mustNotHave.add(change.text);
      }
    }
    this.changes = remaining;
  }
}

/** The plain text of a block element (formatting dropped). */
export function paragraphText(element: Y.XmlElement): string {
  return element
    .toArray()
    .map((child) => (child instanceof Y.XmlText ? child.toDelta().map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : '')).join('') : ''))
    .join('');
}

/** Texts of every block that holds text directly (paragraphs, headings, …), in document order. */
export function blockTexts(doc: Y.Doc): string[] {
  const texts: string[] = [];
  const walk = (element: Y.XmlElement | Y.XmlFragment): void => {
    for (const child of element.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.toArray().some((node) => node instanceof Y.XmlText)) texts.push(paragraphText(child));
      else walk(child);
    }
  };
  walk(doc.getXmlFragment(DOCUMENT_FRAGMENT));
  return texts;
}
