import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  MessageType,
  carriesUpdate,
  classifyFrame,
  encodeSyncStep1,
  encodeUpdateMessage,
  readSavedSeq,
} from '../../../shared/protocol/index.js';
import { DOCUMENT_FRAGMENT } from '../../../shared/schema/index.js';
import type { Prng } from './prng.js';

/**
 * One simulated editor: a Y.Doc running the client half of the stock y-websocket provider —
 * Step1 when the connection opens, Step2 in answer to the server's Step1, local edits sent as
 * Updates while connected (including before the handshake finished, as the provider does) and
 * carried by the next handshake's Step2 while offline. It also numbers its update-carrying
 * frames per connection and records Saved acknowledgements, like our client does.
 */
export class SimClient {
  readonly doc = new Y.Doc();
  /** Where frames go while connected; null while offline. */
  private transport: ((frame: Uint8Array) => void) | null = null;
  /** Payloads of the update-carrying frames sent on the current connection; seq n is index n-1. */
  sentUpdates: Uint8Array[] = [];
  acked = 0;
  synced = false;
  private counter = 0;

  constructor(
    readonly name: string,
    clientId: number,
  ) {
    // A fixed clientID keeps runs reproducible (Yjs picks a random one by default).
    this.doc.clientID = clientId;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this && this.transport) this.send(encodeUpdateMessage(update));
    });
  }

  get connected(): boolean {
    return this.transport !== null;
  }

  open(transport: (frame: Uint8Array) => void): void {
    this.transport = transport;
    this.sentUpdates = [];
    this.acked = 0;
    this.synced = false;
    this.send(encodeSyncStep1(this.doc));
  }

  /** The connection is gone (either side closed it, or it broke). */
  closed(): void {
    this.transport = null;
    this.synced = false;
  }

  /** Handles one frame from the server; returns the Saved seq when it was an acknowledgement. */
  receive(frame: Uint8Array): number | undefined {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.Saved) {
      const seq = readSavedSeq(decoder);
      this.acked = Math.max(this.acked, seq);
      return seq;
    }
    if (type === MessageType.Sync) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.Sync);
      const syncType = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
      if (syncType === syncProtocol.messageYjsSyncStep2) this.synced = true;
      if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder));
      return undefined;
    }
    if (type === MessageType.Awareness) return undefined;
    throw new Error(`${this.name} received unexpected message type ${type}`);
  }

  /** One random local edit of the editor body, as Tiptap would make through the binding. */
  edit(prng: Prng): void {
    const operations = prng.int(1, 3);
    // Several operations in one transaction become one update, like one ProseMirror transaction.
    this.doc.transact(() => {
      for (let i = 0; i < operations; i++) this.editOnce(prng);
    });
  }

  private editOnce(prng: Prng): void {
    const body = this.doc.getXmlFragment(DOCUMENT_FRAGMENT);
    const kind = body.length === 0 ? 'addParagraph' : prng.weighted({ addParagraph: 4, removeParagraph: 1, insertText: 6, deleteText: 2, format: 1 });
    if (kind === 'addParagraph') {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(`${this.name}.${++this.counter} ${prng.word(0, 6)}`)]);
      body.insert(prng.int(0, body.length), [paragraph]);
      return;
    }
    const index = prng.int(0, body.length - 1);
    if (kind === 'removeParagraph') {
      body.delete(index, Math.min(prng.int(1, 2), body.length - index));
      return;
    }
    const paragraph = body.get(index);
    const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : undefined;
    if (!(text instanceof Y.XmlText)) return;
    const position = prng.int(0, text.length);
    if (kind === 'insertText') text.insert(position, prng.word(1, 5));
    else if (kind === 'deleteText') text.delete(position, Math.min(prng.int(1, 4), text.length - position));
    else text.format(position, Math.min(prng.int(1, 4), text.length - position), { bold: true });
  }

  private send(frame: Uint8Array): void {
    if (carriesUpdate(classifyFrame(frame))) {
      const decoder = decoding.createDecoder(frame);
      decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
      this.sentUpdates.push(decoding.readVarUint8Array(decoder));
    }
    this.transport?.(frame);
  }
}
