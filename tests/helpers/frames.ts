import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MessageType, SyncMessageType, encodeSyncMessage } from '../../shared/protocol/index.js';

/** Reading and writing raw collaboration frames in tests that act below the provider. */

/** `[Sync][syncType][payload]`, for frames the Y.Doc-based encoders do not make (e.g. a crafted Step2). */
export const syncFrame = encodeSyncMessage;

/** The server's document as each Step2 among `frames` carried it. */
export function step2Docs(frames: Uint8Array[]): Y.Doc[] {
  return frames.flatMap((frame) => {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Sync || decoding.readVarUint(decoder) !== SyncMessageType.Step2) return [];
    const d = new Y.Doc();
    Y.applyUpdate(d, decoding.readVarUint8Array(decoder));
    return [d];
  });
}

/** The awareness states among `frames`, by client id (later frames win). */
export function awarenessStates(frames: Uint8Array[]): Map<number, Record<string, unknown>> {
  const states = new Map<number, Record<string, unknown>>();
  for (const frame of frames) {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Awareness) continue;
    const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    const count = decoding.readVarUint(update);
    for (let i = 0; i < count; i++) {
      const id = decoding.readVarUint(update);
      decoding.readVarUint(update);
      const state = JSON.parse(decoding.readVarString(update)) as Record<string, unknown> | null;
      if (state) states.set(id, state);
    }
  }
  return states;
}
