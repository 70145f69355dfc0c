import { pino } from 'pino';
import type { ConnectionOptions } from '../../../server/collab/Connection.js';

const silent = pino({ level: 'silent' });

/**
 * Options for a server Connection in the simulations: an editor's grant (as the upgrade gate
 * would issue it), acknowledgements on, and the server's default limits. One place to follow
 * ConnectionOptions when it changes.
 */
export function editorConnectionOptions(docId: string, user: string): ConnectionOptions {
  return {
    docId,
    grant: {
      docId,
      groupId: 'simulated-group',
      userId: user,
      identity: { id: user, name: user, color: '#336699' },
      access: 'edit',
      credential: { via: 'token', id: `token-${user}` },
      expiresAt: null,
    },
    wantsAck: true,
    logger: silent,
    maxDocumentBytes: 64 * 1024 * 1024,
    maxBufferedBytes: 16 * 1024 * 1024,
  };
}
