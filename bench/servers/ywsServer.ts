import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

/**
 * Baseline 1: the y-websocket reference server (@y/websocket-server 0.1.1), in memory. This is
 * its own `src/server.js` with the host/port made ours: same WebSocketServer options (defaults:
 * no compression), same `setupWSConnection`, no persistence (YPERSISTENCE is never set: the
 * orchestrator removes it from the environment), default gc on.
 */
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' });
  response.end('okay');
});
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => {
    wss.emit('connection', ws, request);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ bench: 'listening', port, pid: process.pid })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
