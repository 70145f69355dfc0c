// `npm run dev`: the TypeScript compiler in watch mode, the server restarted by `node --watch`
// whenever its output changes, and Vite's dev server with hot reloading for the client (it
// proxies /api and /collab to the server). Ctrl+C stops all three.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { URL, fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const apiPort = process.env.PORT ?? '3000';
// The page comes from Vite (port 5173), which forwards /api and /collab with the browser's
// Origin unchanged: the server must allow that origin for changes and sockets (docs/SECURITY.md).
const devOrigins = [`http://localhost:${apiPort}`, `http://127.0.0.1:${apiPort}`, `http://[::1]:${apiPort}`, 'http://localhost:5173', 'http://127.0.0.1:5173'];
const publicOrigin = (() => {
  try {
    return process.env.PUBLIC_URL ? new URL(process.env.PUBLIC_URL).origin : null;
  } catch {
    return null; // the server reports the bad PUBLIC_URL itself
  }
})();
const allowedOrigins = process.env.ALLOWED_ORIGINS || [publicOrigin, ...devOrigins].filter(Boolean).join(',');
const bin = (name) => path.join(root, 'node_modules/.bin', name);

// One synchronous build first, so `node --watch` has something to run.
const first = spawnSync(bin('tsc'), ['-p', 'tsconfig.server.json'], { cwd: root, stdio: 'inherit' });
if (first.status !== 0) process.exit(first.status ?? 1);

const children = [
  spawn(bin('tsc'), ['-p', 'tsconfig.server.json', '--watch', '--preserveWatchOutput'], { cwd: root, stdio: 'inherit' }),
  spawn(process.execPath, ['--watch', 'dist/server/main.js'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: apiPort, LOG_LEVEL: process.env.LOG_LEVEL ?? 'debug', ALLOWED_ORIGINS: allowedOrigins },
  }),
  spawn(bin('vite'), [], { cwd: root, stdio: 'inherit', env: { ...process.env, PORT: apiPort } }),
];

const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', () => stop());
