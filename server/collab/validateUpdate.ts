import * as Y from 'yjs';

/**
 * Decodes an untrusted update completely (structs and delete set) without applying it, so that
 * a malformed update is refused as a whole instead of being half-applied. Throws on bad input.
 */
export function validateUpdate(update: Uint8Array): void {
  Y.decodeUpdate(update);
}
