import path from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { ArchiveError } from './archive.js';
import { BackupError, backupDataDir } from './backup.js';

/**
 * `npm run backup -- <file>`: writes a consistent archive of DATA_DIR, also while the server
 * runs (docs/RELIABILITY.md). DATA_DIR is read from the environment exactly as the server reads
 * it; <file> is relative to the directory npm was started from.
 * Exit codes: 0 done, 1 failed (nothing written), 2 usage.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0] === '--help' || args[0] === '-h' || args[0]!.startsWith('-')) {
    process.stderr.write('Usage: npm run backup -- <archive-file>\n  Backs up DATA_DIR (default ./data) into a new file.\n');
    return 2;
  }
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), args[0]!);
  try {
    const { dataDir } = loadConfig(process.env);
    const result = await backupDataDir(dataDir, file);
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(`Backed up meta.json and ${result.documents} documents from ${dataDir} to ${result.file} (${result.bytes} bytes${result.rereads > 0 ? `, ${result.rereads} documents re-read after concurrent writes` : ''}).\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof BackupError || error instanceof ArchiveError) {
      process.stderr.write(`backup failed: ${error.message}\n`);
      return 1;
    }
    // An I/O error (disk full, permissions …): say what happened, with the stack for a bug report.
    process.stderr.write(`backup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
