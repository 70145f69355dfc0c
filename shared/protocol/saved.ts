import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType } from './messageTypes.js';

/**
 * The Saved acknowledgement: `[Saved][varUint seq]`. `seq` counts the update-carrying messages
 * (SyncStep2 and Update, see `carriesUpdate`) the client sent on this connection, starting at 1;
 * the acknowledgement means every one of them up to `seq` is durable on the server.
 */
export function writeSaved(encoder: encoding.Encoder, seq: number): void {
  encoding.writeVarUint(encoder, MessageType.Saved);
  encoding.writeVarUint(encoder, seq);
}

export function encodeSaved(seq: number): Uint8Array {
  const encoder = encoding.createEncoder();
  writeSaved(encoder, seq);
  return encoding.toUint8Array(encoder);
}

/** Reads the body of a Saved message whose type has already been read. */
export function readSavedSeq(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder);
}
