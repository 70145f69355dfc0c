import * as decoding from 'lib0/decoding';
import { MessageType, SyncMessageType } from './messageTypes.js';

/** What a frame is, read from its leading varints only: the payload is not decoded. */
export interface FrameKind {
  type: number;
  /** Sync sub-type, when `type` is Sync. */
  syncType?: number;
}

/**
 * Reads the message type (and sync sub-type) from the head of a frame without touching the
 * payload. The server uses it to refuse a read-only connection's Step2/Update before decoding
 * them, and both sides use it to count update-carrying messages for Saved acknowledgements.
 * Throws on a frame too short to hold the head.
 */
export function classifyFrame(frame: Uint8Array): FrameKind {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  if (type !== MessageType.Sync) return { type };
  return { type, syncType: decoding.readVarUint(decoder) };
}

/**
 * True for the messages that carry document content from a client: SyncStep2 and Update.
 * These are the messages a Saved acknowledgement counts.
 */
export function carriesUpdate(kind: FrameKind): boolean {
  return (
    kind.type === MessageType.Sync &&
    (kind.syncType === SyncMessageType.Step2 || kind.syncType === SyncMessageType.Update)
  );
}
