import path from 'node:path';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../config.js';
import { ArchiveError } from './archive.js';
import { RestoreError, restoreDataDir } from './restore.js';

/**
 * `npm run restore -- <file>`: restores an archive made by `npm run backup` into DATA_DIR, which
 * must be empty or not exist yet (docs/RELIABILITY.md). Do not start the server until it is done.
 * Exit codes: 0 done, 1 refused or failed, 2 usage.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0] === '--help' || args[0] === '-h' || args[0]!.startsWith('-')) {
    process.stderr.write('Usage: npm run restore -- <archive-file>\n  Restores into DATA_DIR (default ./data), which must be empty.\n');
    return 2;
  }
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), args[0]!);
  try {
    const { dataDir, storage } = loadConfig(process.env);
    // Storage warnings go to stderr, so stdout stays the one-line summary. Written in the format
    // of the store the server will run with (DOC_STORE).
    const result = await restoreDataDir(file, dataDir, pino({ level: 'warn' }, pino.destination(2)), { docStore: storage.docStore });
    process.stdout.write(`Restored meta.json and ${result.documents} documents (backup of ${result.createdAt}) into ${result.dataDir}.\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof RestoreError || error instanceof ArchiveError) {
      process.stderr.write(`restore failed: ${error.message}\n`);
      return 1;
    }
    // An I/O error (disk full, permissions …): say what happened, with the stack for a bug report.
    process.stderr.write(`restore failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
