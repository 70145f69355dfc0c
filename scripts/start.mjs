// `npm start`: builds what is missing or older than its sources, then runs the server in this
// process (so signals reach it directly). Plain JS so that it runs before anything is compiled.
// The server's V8 flags (`--max-semi-space-size`, `--v8-pool-size`) are on the `node` command of "start" in
// package.json, because only the command line of the process that runs the server can set them;
// docs/OPERATIONS.md gives the same flags for running dist/server/main.js directly, and the bench
// reads them from package.json (bench/servers/nodeArgs.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(output, inputs) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return inputs.some((dir) => existsSync(dir) && newestMtime(path.join(root, dir)) > built);
}

function run(script) {
  process.stderr.write(`roundtable: npm run ${script}\n`);
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Settings from a `.env` file next to package.json, if there is one (variables already set in
// the environment win). See .env.example.
if (existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));

const serverEntry = path.join(root, 'dist/server/main.js');
if (isStale(serverEntry, ['server', 'shared'])) run('build:server');
if (isStale(path.join(root, 'dist/client/index.html'), ['client', 'shared'])) run('build:client');

await import(pathToFileURL(serverEntry).href);
