import { Server } from '@hocuspocus/server';

/**
 * Baseline 2: Hocuspocus 3.4 (@hocuspocus/server), in memory: no extensions (so no database,
 * no Redis, no logger), no onAuthenticate hook (every token is accepted, but the client must
 * still send the auth message before sync), default debounce and timeout. `stopOnSignals`
 * makes SIGTERM destroy the server and exit.
 */
const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: true });
await server.listen();
process.stdout.write(`${JSON.stringify({ bench: 'listening', port: server.address.port, pid: process.pid })}\n`);
