/**
 * WebSocket close codes the server uses. 4400-4499 mirror HTTP 4xx: the stock y-websocket
 * provider treats them as final and stops reconnecting, which is what we want when reconnecting
 * would only repeat the same refusal. 4500-4599 mean "try again later" and the provider
 * reconnects with backoff. Documented in docs/PROTOCOL.md; each has a stable reason code.
 */
export const CloseCode = {
  /** Server shutting down (standard code); clients reconnect. */
  GoingAway: 1001,
  /** A single frame exceeded the server's maxPayload (sent by `ws` itself). */
  MessageTooBig: 1009,
  /** The frame could not be decoded as a y-websocket message. */
  MalformedMessage: 4400,
  /** Applying the update would grow the document beyond the per-document size limit. */
  DocumentTooLarge: 4413,
  /** The document's stored state could not be loaded; the document is not served. */
  RoomLoadFailed: 4500,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Stable machine-readable reason sent as the close reason (kept under 123 bytes). */
export const CloseReason: Record<CloseCode, string> = {
  [CloseCode.GoingAway]: 'SERVER_SHUTDOWN',
  [CloseCode.MessageTooBig]: 'MESSAGE_TOO_BIG',
  [CloseCode.MalformedMessage]: 'MALFORMED_MESSAGE',
  [CloseCode.DocumentTooLarge]: 'DOCUMENT_TOO_LARGE',
  [CloseCode.RoomLoadFailed]: 'ROOM_LOAD_FAILED',
};
