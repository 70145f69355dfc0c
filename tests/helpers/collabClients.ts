import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
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
import { tokenFor } from './credentials.js';

/**
 * How a test client authenticates: by default the token registered for the server's URL (the
 * admin of a ServerProcess); `token: null` for an anonymous client; `origin` to send a browser's
 * Origin header; `headers` for anything else (e.g. a session cookie).
 */
export interface ClientAuth {
  token?: string | null;
  origin?: string;
  headers?: Record<string, string>;
}

export function authHeaders(wsUrl: string, auth: ClientAuth = {}): Record<string, string> {
  const token = auth.token === undefined ? tokenFor(wsUrl) : auth.token;
  return {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(auth.origin ? { origin: auth.origin } : {}),
    ...auth.headers,
  };
}

/**
 * `ws` with fixed handshake headers, in the shape the stock provider constructs its socket
 * (`new WS(url, protocols)`): browsers send cookies and Origin themselves; in Node we add them.
 */
export function webSocketWithHeaders(headers: Record<string, string>): typeof WebSocket {
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols ?? [], { headers });
    }
  } as unknown as typeof WebSocket;
}

/**
 * Waits until `predicate` holds, checking every few milliseconds. The timeout only turns a hang
 * into a readable failure; no test asserts how long anything took.
 */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Appends a paragraph holding `text` to the document body, as the editor would. */
export function appendParagraph(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(DOCUMENT_FRAGMENT).push([paragraph]);
}

/** The body as a string, e.g. `<paragraph>hello</paragraph>`: enough to compare content. */
export function bodyOf(doc: Y.Doc): string {
  return doc.getXmlFragment(DOCUMENT_FRAGMENT).toString();
}

export interface ProviderClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

/**
 * The stock y-websocket provider, unchanged, with `ws` as its WebSocket in Node (carrying the
 * credentials of `auth`, by default the server's admin token). Resolves once synced.
 */
export async function connectProvider(wsUrl: string, docId: string, params: Record<string, string> = {}, auth: ClientAuth = {}): Promise<ProviderClient> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${wsUrl}/collab`, docId, doc, {
    WebSocketPolyfill: webSocketWithHeaders(authHeaders(wsUrl, auth)) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params,
  });
  await waitFor(() => provider.synced, `provider on ${docId} synced`);
  return {
    doc,
    provider,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/**
 * A client written against the raw wire protocol with a real `ws` socket: it syncs like the
 * provider, numbers its update-carrying messages and records the Saved acknowledgements, so
 * tests can act at exact protocol moments (e.g. SIGKILL right after an ack).
 */
export class RawClient {
  readonly doc = new Y.Doc();
  sent = 0;
  acked = 0;
  synced = false;
  closeEvent: { code: number; reason: string } | null = null;
  readonly received: Uint8Array[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer) => this.onMessage(new Uint8Array(data)));
    ws.on('close', (code, reason) => {
      this.closeEvent = { code, reason: reason.toString() };
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.send(encodeUpdateMessage(update));
    });
  }

  static async connect(wsUrl: string, docId: string, { ack = true, sync = true, ...auth }: { ack?: boolean; sync?: boolean } & ClientAuth = {}): Promise<RawClient> {
    const ws = new WebSocket(`${wsUrl}/collab/${docId}${ack ? '?ack=1' : ''}`, { headers: authHeaders(wsUrl, auth) });
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    if (sync) {
      client.send(encodeSyncStep1(client.doc));
      await waitFor(() => client.synced, `raw client on ${docId} synced`);
    }
    return client;
  }

  /** Sends a frame as is; counts it when it carries an update, like the real client does. */
  send(frame: Uint8Array): void {
    try {
      if (carriesUpdate(classifyFrame(frame))) this.sent++;
    } catch {
      // garbage sent on purpose by a test: not an update message
    }
    this.ws.send(frame);
  }

  async waitForAck(seq = this.sent): Promise<void> {
    await waitFor(() => this.acked >= seq, `Saved ack for message ${seq}`);
  }

  async waitForClose(): Promise<{ code: number; reason: string }> {
    await waitFor(() => this.closeEvent !== null, 'socket closed');
    return this.closeEvent!;
  }

  close(): void {
    this.ws.close();
  }

  private onMessage(frame: Uint8Array): void {
    this.received.push(frame);
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.Saved) {
      this.acked = Math.max(this.acked, readSavedSeq(decoder));
    } else if (type === MessageType.Sync) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.Sync);
      const syncType = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
      if (syncType === syncProtocol.messageYjsSyncStep2) this.synced = true;
      if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder));
    }
  }
}

/** What came of an upgrade attempt: the HTTP status (101 when a socket opened) and, if it opened, the socket. */
export interface UpgradeAttempt {
  status: number;
  body: string;
  ws: WebSocket | null;
  /** Every frame received on the socket, from the first moment. */
  frames: Uint8Array[];
}

/** Tries an upgrade with exactly `headers` (no default credentials) and reports how it went. */
export function tryUpgrade(wsUrl: string, path: string, headers: Record<string, string>): Promise<UpgradeAttempt> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}${path}`, { headers });
    const frames: Uint8Array[] = [];
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
    ws.once('open', () => resolve({ status: 101, body: '', ws, frames }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ws: null, frames }));
    });
    // After a refusal the settled promise ignores this; before, it is a real failure.
    ws.on('error', (error) => reject(error));
  });
}
