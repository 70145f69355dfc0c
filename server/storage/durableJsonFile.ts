import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { MetaStoreCorruptError } from './MetaStore.js';

/**
 * A lowdb adapter for the metadata file that, unlike lowdb's own JSONFile, survives crashes and
 * never replaces a file it cannot understand:
 *
 * - read: a missing file yields null (lowdb keeps its default data); a file that is present but
 *   is not JSON, or fails `parse`, throws MetaStoreCorruptError and is left exactly as it is.
 * - write: temp file in the same directory → fsync → rename over the target → fsync the
 *   directory. rename is atomic within one file system, so a crash leaves either the old or the
 *   new file; the two fsyncs make sure that "resolved" means "on disk", including the rename.
 *
 * Writes are serialised (one in flight) so two renames can never race.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly parse: (value: unknown) => T,
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if (isErrnoException(error) && error.code === 'ENOENT') return null;
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw this.corrupt(`it is not valid JSON (${(error as Error).message})`, error);
    }
    try {
      return this.parse(value);
    } catch (error) {
      throw this.corrupt((error as Error).message, error);
    }
  }

  write(data: T): Promise<void> {
    // Serialise now, so the bytes written are the state at call time even if the caller keeps
    // mutating its object while an earlier write is still in flight.
    const text = `${JSON.stringify(data, null, 2)}\n`;
    const result = this.tail.then(() => this.writeText(text));
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Deletes temp files a crash left behind (only ours: same directory, our naming pattern). */
  async removeStaleTempFiles(): Promise<void> {
    const dir = path.dirname(this.file);
    const prefix = `.${path.basename(this.file)}.`;
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (error) {
      if (isErrnoException(error) && error.code === 'ENOENT') return;
      throw error;
    }
    await Promise.all(
      names
        .filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'))
        .map((name) => fs.rm(path.join(dir, name), { force: true })),
    );
  }

  private async writeText(text: string): Promise<void> {
    const dir = path.dirname(this.file);
    await fs.mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${path.basename(this.file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      // 0o600: the metadata will hold user records; nobody else on the machine needs to read it.
      const handle = await fs.open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, this.file);
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dir);
  }

  private corrupt(reason: string, cause: unknown): MetaStoreCorruptError {
    return new MetaStoreCorruptError(
      this.file,
      `The metadata file ${this.file} cannot be read: ${reason}. Roundtable stopped without changing it. ` +
        `Restore the file from your latest backup, or move it out of the data directory to start with an empty workspace ` +
        `(the document content files next to it are kept either way).`,
      { cause },
    );
  }
}

/** Makes a rename in `dir` durable. Windows cannot open a directory for fsync, and does not need to. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
