/**
 * Wire constants of the collaboration socket. The first four are the standard y-websocket
 * message types (so the stock `WebsocketProvider` works unchanged); everything from 100 on is
 * Roundtable's extension, sent only to clients that ask for it. Server and client import these
 * from here and nowhere else (house rule 1).
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /** Roundtable extension: "your update messages up to #n on this connection are durable". */
  Saved: 100,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Sub-types of a Sync message (y-protocols/sync). */
export const SyncMessageType = {
  Step1: 0,
  Step2: 1,
  Update: 2,
} as const;
export type SyncMessageType = (typeof SyncMessageType)[keyof typeof SyncMessageType];

/** Query parameter with which a client asks for Saved acknowledgements: `?ack=1`. */
export const ACK_QUERY_PARAM = 'ack';

/** Path prefix of the collaboration socket: one socket per document at `/collab/<documentId>`. */
export const COLLAB_PATH_PREFIX = '/collab/';
