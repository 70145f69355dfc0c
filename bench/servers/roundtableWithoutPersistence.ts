/**
 * Roundtable with document persistence off: `node roundtableWithoutPersistence.js <serverDir>`.
 *
 * For workload 6's "server CPU with persistence on versus off" (issue 5): the same build the run
 * measures (its snapshot in dist/bench/roundtable-under-test), started through the composition
 * root exactly as `server/main.js` starts it, with one difference — the in-memory reference
 * DocStore (the one every store's contract test is checked against) instead of the journal. So
 * the difference between the two runs is what durability costs, and nothing else.
 *
 * The product has no switch for this on purpose: a server that shows edits as saved must keep
 * them. Only the suite starts one that does not (via `startServer`'s `docStore` seam).
 * Metadata (meta.json: accounts, sessions, documents) is still written to DATA_DIR as usual.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The few parts of the server build this entry uses, typed here so the suite does not compile server/. */
interface ServerBuild {
  app: { startServer(config: unknown, logger: Logger, options: { docStore: object }): Promise<{ url: string; port: number; close(): Promise<void> }> };
  config: { loadConfig(env: NodeJS.ProcessEnv): { logLevel: string; dataDir: string } };
  logger: { createLogger(level: string): Logger };
  memory: { MemoryDocStore: new () => object };
}
interface Logger {
  info(fields: object, message: string): void;
  fatal(fields: object, message: string): void;
}

async function load<T>(serverDir: string, module: string): Promise<T> {
  return (await import(pathToFileURL(path.join(serverDir, module)).href)) as T;
}

async function main(): Promise<void> {
  const serverDir = process.argv[2];
  if (!serverDir) throw new Error('usage: roundtableWithoutPersistence.js <dir of the built server/>');
  const [{ startServer }, { loadConfig }, { createLogger }, { MemoryDocStore }] = await Promise.all([
    load<ServerBuild['app']>(serverDir, 'app.js'),
    load<ServerBuild['config']>(serverDir, 'config.js'),
    load<ServerBuild['logger']>(serverDir, 'logger.js'),
    load<ServerBuild['memory']>(serverDir, 'storage/memoryDocStore.js'),
  ]);
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  // /healthz asks the store for its health; memory never fails.
  const docStore = Object.assign(new MemoryDocStore(), { health: () => ({ ok: true, failingDocuments: 0 }) });
  const server = await startServer(config, logger, { docStore });
  // The same line server/main.js logs: the suite waits for it to learn the address.
  logger.info({ url: server.url, port: server.port, dataDir: config.dataDir, persistence: 'off (benchmark)' }, 'listening');
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`roundtable (persistence off): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
