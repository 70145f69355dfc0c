import type { ServerName } from '../types.js';
import { spawnManaged, type ManagedChild } from './childProcess.js';
import { REPO_ROOT, cleanEnv, serverNodeFlags, siblingScript } from './nodeArgs.js';
import type { BenchServer, RunningServer } from './types.js';

type BaselineName = Extract<ServerName, 'y-websocket' | 'hocuspocus'>;

const SCRIPTS: Record<BaselineName, string> = {
  'y-websocket': 'ywsServer.js',
  hocuspocus: 'hocuspocusServer.js',
};

/**
 * A baseline server in its own node process (bench/servers/ywsServer.ts or hocuspocusServer.ts),
 * in memory, on 127.0.0.1 and a free port. Documents need no preparation: they exist as soon as
 * a client opens them, so `prepare` only hands out fresh names.
 */
export function baselineServer(name: BaselineName): BenchServer {
  let managed: ManagedChild | null = null;
  let counter = 0;
  return {
    name,
    async start(): Promise<RunningServer> {
      const child = spawnManaged(process.execPath, [...serverNodeFlags(), siblingScript(SCRIPTS[name])], {
        cwd: REPO_ROOT,
        env: cleanEnv({ NODE_ENV: 'production' }),
      });
      managed = child;
      const line = await child.waitForLine((l) => l.includes('"bench":"listening"'), 20_000);
      const { port, pid } = JSON.parse(line) as { port: number; pid: number };
      const url = `http://127.0.0.1:${port}`;
      return {
        name,
        url,
        pid,
        dataDir: null,
        traceFile: null,
        docTarget: (docName) =>
          name === 'hocuspocus'
            ? { flavour: 'hocuspocus', url: `ws://127.0.0.1:${port}/`, docName, acks: false }
            : { flavour: 'y-websocket', url: `ws://127.0.0.1:${port}/${encodeURIComponent(docName)}`, docName, acks: false },
        prepare: (n) => Promise.resolve(Array.from({ length: n }, () => `bench-doc-${++counter}`)),
      };
    },
    async stop(): Promise<void> {
      const child = managed;
      managed = null;
      if (child) await child.stop(10_000);
    },
  };
}
