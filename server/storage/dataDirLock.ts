import fs from 'node:fs/promises';
import path from 'node:path';

/** The lock file in DATA_DIR: lowdb has one writer, so one process at a time may own the data. */
export const LOCK_FILE = 'server.lock';

/** Another live process holds the data directory. */
export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly lockFile: string,
    readonly holder: { pid: number; role: string },
  ) {
    super(
      `${lockFile} says process ${holder.pid} (${holder.role}) is using this data directory. ` +
        (holder.role === 'server'
          ? 'Stop that Roundtable server first (Ctrl+C or SIGTERM), then try again.'
          : 'Wait until that command has finished, then try again.'),
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(file: string): Promise<{ pid: number; role: string } | null> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as { pid?: unknown; role?: unknown };
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, role: typeof parsed.role === 'string' ? parsed.role : 'unknown' } : null;
  } catch {
    return null;
  }
}

/**
 * Takes `DATA_DIR/server.lock` for this process (the server for its lifetime, the admin CLI for
 * one command). A lock whose process is gone (SIGKILL, power cut) is stale and taken over; so is
 * one naming our own pid (a container restarted as pid 1 again). Resolves to the release
 * function, which removes the file only if it is still ours.
 */
export async function acquireDataDirLock(dataDir: string, role: 'server' | 'cli'): Promise<() => Promise<void>> {
  const file = path.join(dataDir, LOCK_FILE);
  const content = `${JSON.stringify({ pid: process.pid, role, since: new Date().toISOString() })}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, content, { flag: 'wx', mode: 0o600 });
      return async () => {
        const holder = await readHolder(file);
        if (holder?.pid === process.pid) await fs.rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(file);
    if (holder && holder.pid !== process.pid && isAlive(holder.pid)) throw new DataDirLockedError(file, holder);
    // Stale (or unreadable, e.g. cut off by a crash): remove and try again.
    await fs.rm(file, { force: true });
  }
  throw new Error(`could not take the lock ${file}; remove it if no Roundtable process is running`);
}
