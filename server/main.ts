import { ConfigError, loadConfig } from './config.js';
import { ShutdownTimeoutError, startServer, type RunningServer } from './app.js';
import { createLogger } from './logger.js';

/**
 * Process entry point: validates the configuration, starts the server, and turns SIGTERM/SIGINT
 * into an orderly shutdown (stop accepting, flush every pending write, exit 0; exit 1 when the
 * flush cannot finish within SHUTDOWN_TIMEOUT_MS).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`roundtable: ${error.message}\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let server;
  try {
    server = await startServer(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'Roundtable could not start');
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`roundtable: could not start: ${message}\n`);
    process.exit(1);
  }
  logger.info({ url: server.url, port: server.port, dataDir: config.dataDir }, 'listening');
  process.stderr.write(banner(server, config.dataDir));

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: flushing pending writes');
    server.close().then(
      () => {
        logger.info('all writes flushed; bye');
        process.exit(0);
      },
      (error: unknown) => {
        // A timeout has already been logged with every document that is not on disk.
        if (error instanceof ShutdownTimeoutError) logger.fatal({ timeoutMs: error.timeoutMs }, 'exiting without flushing everything (SHUTDOWN_TIMEOUT_MS)');
        else logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** What the operator reads on the console: where to go and how to get in. */
function banner(server: RunningServer, dataDir: string): string {
  const lines = ['', `Roundtable is running at ${server.url}`];
  const admin = server.firstAdmin;
  if (admin?.generatedPassword) {
    lines.push(
      'A first admin account was created. Sign in with:',
      `    email:    ${admin.email}`,
      `    password: ${admin.generatedPassword}`,
      'This password is shown only this once: keep it somewhere safe (or change it after signing in).',
    );
  } else if (admin) {
    lines.push(`A first admin account was created: sign in as ${admin.email} with ROUNDTABLE_ADMIN_PASSWORD.`);
  } else {
    lines.push('Sign in with your account. Operators: `npm run admin -- create-user` / `reset-password` (with the server stopped).');
  }
  lines.push(`Data is kept in ${dataDir}. Stop with Ctrl+C.`, '', '');
  return lines.join('\n');
}

void main();
