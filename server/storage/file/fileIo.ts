import { constants } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * The calls that make data durable, behind one seam so tests can count fsyncs and inject write
 * failures (EIO, ENOSPC, short writes) without touching the real filesystem's behaviour.
 */
export interface FileIo {
  /** One write attempt at `position`; may write fewer bytes than given (the caller loops). */
  write(handle: FileHandle, filePath: string, chunks: readonly Uint8Array[], position: number): Promise<number>;
  /** Makes a file's data (and size) durable. */
  sync(handle: FileHandle, filePath: string): Promise<void>;
  /** Makes a directory's entries (creations, renames) durable. */
  syncDirectory(dirPath: string): Promise<void>;
  /**
   * Extra `open` flags for update logs that make every write durable when it returns (O_DSYNC),
   * so that a batch costs one thread-pool job (writev) instead of two (writev, then fdatasync):
   * on this kind of disk that halves the CPU per batch. When set, the log skips `sync` after a
   * plain append. Absent (test seams, platforms without O_DSYNC): write, then `sync`.
   */
  syncOnWriteFlags?: number;
}

export const nodeFileIo: FileIo = {
  ...(constants.O_DSYNC === undefined ? {} : { syncOnWriteFlags: constants.O_DSYNC }),
  async write(handle, _filePath, chunks, position) {
    const { bytesWritten } = await handle.writev(chunks, position);
    return bytesWritten;
  },
  // fdatasync: the size change is flushed with the data, mtime is not worth a second journal write.
  sync: (handle) => handle.datasync(),
  async syncDirectory(dirPath) {
    const handle = await open(dirPath, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** Writes every byte of `chunks` at `position`, resuming after short writes. */
export async function writeAll(
  io: FileIo,
  handle: FileHandle,
  filePath: string,
  chunks: readonly Uint8Array[],
  position: number,
): Promise<number> {
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  let remaining = chunks;
  let written = 0;
  while (written < total) {
    const n = await io.write(handle, filePath, remaining, position + written);
    if (n <= 0) throw new Error(`write to ${filePath} made no progress`);
    written += n;
    if (written < total) remaining = dropLeadingBytes(remaining, n);
  }
  return total;
}

function dropLeadingBytes(chunks: readonly Uint8Array[], count: number): Uint8Array[] {
  let skip = count;
  let index = 0;
  for (; index < chunks.length; index++) {
    const size = chunks[index]?.byteLength ?? 0;
    if (skip < size) break;
    skip -= size;
  }
  const rest = chunks.slice(index);
  const first = rest[0];
  if (first && skip > 0) rest[0] = first.subarray(skip);
  return rest;
}

/**
 * Creates `dirPath` (and missing parents) and makes the new entries durable: an fsync'd file in a
 * directory whose own entry was never fsync'd can vanish in a crash. The parent of `dirPath` is
 * synced even when nothing was created, because an earlier attempt may have created the directory
 * and then failed before its sync.
 */
export async function ensureDirectory(io: FileIo, dirPath: string): Promise<void> {
  const firstCreated = await mkdir(dirPath, { recursive: true });
  const parents = new Set<string>([path.dirname(dirPath)]);
  if (firstCreated !== undefined) {
    for (let dir = dirPath; dir !== firstCreated && dir !== path.dirname(dir); dir = path.dirname(dir)) {
      parents.add(path.dirname(dir));
    }
    parents.add(path.dirname(firstCreated));
  }
  for (const parent of parents) await io.syncDirectory(parent);
}

/**
 * Replaces `dir/finalName` with `chunks` so that a crash leaves either the old file or the
 * complete new one (STORE-9, JOURNAL-4): written to `dir/temporaryName`, fsync'd, renamed over
 * the final name, then the directory fsync'd. Only once this resolves may files the new one
 * supersedes be deleted. A failure removes the temporary file and rejects.
 */
export async function replaceFileDurably(io: FileIo, dir: string, finalName: string, temporaryName: string, chunks: readonly Uint8Array[]): Promise<void> {
  const temporary = path.join(dir, temporaryName);
  try {
    const handle = await open(temporary, 'w');
    try {
      await writeAll(io, handle, temporary, chunks, 0);
      await io.sync(handle, temporary);
    } finally {
      await handle.close();
    }
    await rename(temporary, path.join(dir, finalName));
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await io.syncDirectory(dir);
}
