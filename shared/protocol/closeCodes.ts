/**
 * WebSocket close codes the server uses. 4400-4499 mirror HTTP 4xx: the stock y-websocket
 * provider treats them as final and stops reconnecting, which is what we want when reconnecting
 * would only repeat the same refusal. 4500-4599 mean "try again later" and the provider
 * reconnects with backoff. Documented in docs/PROTOCOL.md; each has a stable reason code.
 */
export const CloseCode = {
  /** Server shutting down (standard code); clients reconnect. */
  GoingAway: 1001,
  /**
   * The person's rights on this document changed but they still have access (e.g. member ->
   * reader). Deliberately outside 44xx: the stock provider reconnects, and the new upgrade is
   * checked again, landing on the new rights.
   */
  PermissionsChanged: 4001,
  /** A single frame exceeded the server's maxPayload (sent by `ws` itself). */
  MessageTooBig: 1009,
  /** The frame could not be decoded as a y-websocket message. */
  MalformedMessage: 4400,
  /** The session or API token this socket was opened with was revoked, expired, or its user deactivated. */
  SessionEnded: 4401,
  /** The person lost access to this document (removed from the group, or no longer allowed to see it). */
  AccessRevoked: 4403,
  /**
   * Applying the update would grow the document beyond the per-document size limit, or one
   * update holds more operations than the server applies at once (MAX_UPDATE_OPERATIONS).
   */
  DocumentTooLarge: 4413,
  /**
   * The socket kept flooding (awareness or sync requests far beyond the per-socket rate for
   * seconds). Final on purpose: an abusive client should stop, and a person typing fast never
   * gets here (excess presence updates are only dropped).
   */
  RateLimited: 4429,
  /** The document's stored state could not be loaded; the document is not served. */
  RoomLoadFailed: 4500,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Stable machine-readable reason sent as the close reason (kept under 123 bytes). */
export const CloseReason: Record<CloseCode, string> = {
  [CloseCode.GoingAway]: 'SERVER_SHUTDOWN',
  [CloseCode.PermissionsChanged]: 'PERMISSIONS_CHANGED',
  [CloseCode.SessionEnded]: 'SESSION_ENDED',
  [CloseCode.AccessRevoked]: 'ACCESS_REVOKED',
  [CloseCode.MessageTooBig]: 'MESSAGE_TOO_BIG',
  [CloseCode.MalformedMessage]: 'MALFORMED_MESSAGE',
  [CloseCode.DocumentTooLarge]: 'DOCUMENT_TOO_LARGE',
  [CloseCode.RateLimited]: 'RATE_LIMITED',
  [CloseCode.RoomLoadFailed]: 'ROOM_LOAD_FAILED',
};
