import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType as RoundtableMessageType } from '../../shared/protocol/messageTypes.js';
import type { Flavour } from '../types.js';

/**
 * The two wire framings, written with lib0 directly (no providers: a provider per simulated
 * client would cost the load generator more CPU than the server it measures).
 *
 * y-websocket (Roundtable, the reference server):  [varUint type][body]
 * Hocuspocus (v3, @hocuspocus/server src/OutgoingMessage.ts, IncomingMessage.ts):
 *                                                  [varString documentName][varUint type][body]
 * The bodies are the same y-protocols messages; Hocuspocus adds its own types (below) and needs
 * `[name][Auth=2][Token=0][varString token]` before it handles anything else for that document
 * (ClientConnection.handleQueueingMessage queues every other message until then).
 */

/** Message types on the wire. 0-3 are y-websocket's; 4-8 Hocuspocus'; 100 Roundtable's. */
export const Msg = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /** Hocuspocus: a Sync that must not trigger another SyncStep1. */
  SyncReply: 4,
  /** Hocuspocus: the server is closing this document's connection (varString reason). */
  Close: 7,
  /** Hocuspocus: acknowledgement of an applied update (varUint 1 = saved). */
  SyncStatus: 8,
  /** Roundtable: `[100][varUint seq]` every update-carrying message up to seq is durable. */
  Saved: RoundtableMessageType.Saved,
} as const;

export const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const;

/** Hocuspocus auth sub-types (@hocuspocus/common src/auth.ts). */
export const AuthType = { Token: 0, PermissionDenied: 1, Authenticated: 2 } as const;

export interface Framing {
  readonly flavour: Flavour;
  readonly docName: string;
  /** Starts an outgoing message of `type` (the document-name prefix written when needed). */
  begin(type: number): encoding.Encoder;
}

export function createFraming(flavour: Flavour, docName: string): Framing {
  return {
    flavour,
    docName,
    begin(type: number): encoding.Encoder {
      const encoder = encoding.createEncoder();
      if (flavour === 'hocuspocus') encoding.writeVarString(encoder, docName);
      encoding.writeVarUint(encoder, type);
      return encoder;
    },
  };
}

/** `[Sync][syncType][payload]`: Step1 carries a state vector, Step2 and Update an update. */
function encodeSync(framing: Framing, syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = framing.begin(Msg.Sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** `[Sync][Step1][state vector]` */
export function encodeSyncStep1(framing: Framing, stateVector: Uint8Array): Uint8Array {
  return encodeSync(framing, SyncType.Step1, stateVector);
}

/** `[Sync][Step2][update]` */
export function encodeSyncStep2(framing: Framing, update: Uint8Array): Uint8Array {
  return encodeSync(framing, SyncType.Step2, update);
}

/** `[Sync][Update][update]` */
export function encodeUpdate(framing: Framing, update: Uint8Array): Uint8Array {
  return encodeSync(framing, SyncType.Update, update);
}

/** `[Awareness][awareness update]` */
export function encodeAwareness(framing: Framing, awarenessUpdate: Uint8Array): Uint8Array {
  const encoder = framing.begin(Msg.Awareness);
  encoding.writeVarUint8Array(encoder, awarenessUpdate);
  return encoding.toUint8Array(encoder);
}

/** Hocuspocus only: `[name][Auth][Token][token]`, the message that opens the document. */
export function encodeHocuspocusAuth(framing: Framing, token: string): Uint8Array {
  const encoder = framing.begin(Msg.Auth);
  encoding.writeVarUint(encoder, AuthType.Token);
  encoding.writeVarString(encoder, token);
  return encoding.toUint8Array(encoder);
}

export type Incoming =
  | { type: typeof Msg.Sync; syncType: number; payload: Uint8Array }
  | { type: typeof Msg.Awareness; payload: Uint8Array }
  | { type: typeof Msg.Auth; authType: number; detail: string }
  | { type: typeof Msg.Saved; seq: number }
  | { type: typeof Msg.SyncStatus; saved: boolean }
  | { type: typeof Msg.Close; reason: string }
  | { type: 'other'; code: number }
  | { type: 'foreign-document'; docName: string };

/**
 * Decodes one incoming frame. Payloads are views into `frame` (not copied): callers that keep
 * them past the current event must copy. Throws on a truncated frame.
 */
export function decodeIncoming(framing: Framing, frame: Uint8Array): Incoming {
  const decoder = decoding.createDecoder(frame);
  if (framing.flavour === 'hocuspocus') {
    const name = decoding.readVarString(decoder);
    if (name !== framing.docName) return { type: 'foreign-document', docName: name };
  }
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case Msg.Sync:
    case Msg.SyncReply: {
      const syncType = decoding.readVarUint(decoder);
      return { type: Msg.Sync, syncType, payload: decoding.readVarUint8Array(decoder) };
    }
    case Msg.Awareness:
      return { type: Msg.Awareness, payload: decoding.readVarUint8Array(decoder) };
    case Msg.Auth: {
      const authType = decoding.readVarUint(decoder);
      // Hocuspocus sends a reason/scope string; y-websocket's permission-denied has one too.
      const detail = decoding.hasContent(decoder) ? decoding.readVarString(decoder) : '';
      return { type: Msg.Auth, authType, detail };
    }
    case Msg.Saved:
      if (framing.flavour === 'y-websocket') return { type: Msg.Saved, seq: decoding.readVarUint(decoder) };
      return { type: 'other', code: type };
    case Msg.SyncStatus:
      if (framing.flavour === 'hocuspocus') return { type: Msg.SyncStatus, saved: decoding.readVarUint(decoder) === 1 };
      return { type: 'other', code: type };
    case Msg.Close:
      if (framing.flavour === 'hocuspocus') return { type: Msg.Close, reason: decoding.readVarString(decoder) };
      return { type: 'other', code: type };
    default:
      return { type: 'other', code: type };
  }
}
