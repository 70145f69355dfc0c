import { mkdir, mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach } from 'vitest';
import type { Logger } from '../../logger.js';
import { nodeFileIo, type FileIo } from './fileIo.js';
import { encodeHeader, encodeRecordPrefix, type FileKind } from './recordCodec.js';

/** Helpers shared by the FileDocStore tests (not used by the server). */

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export const LEVEL = { info: 30, warn: 40, error: 50 } as const;

export function captureLogger(): { logger: Logger; lines: LogLine[]; at: (level: number) => LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines, at: (level) => lines.filter((line) => line.level === level) };
}

export type CapturedLog = ReturnType<typeof captureLogger>;

export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'roundtable-docstore-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fresh temporary directory and captured logger for every test, handed to `ready`; after each
 * test the stores the test opened (pushed onto `stores`) are closed and the directory removed.
 */
export function useScratchDir<S extends { close(): Promise<void> }>(stores: S[], ready: (dir: string, capture: CapturedLog) => void): void {
  let remove: () => Promise<void> = async () => {};
  beforeEach(async () => {
    const scratch = await makeTempDir();
    remove = scratch.remove;
    ready(scratch.dir, captureLogger());
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await remove();
  });
}

/** Counts the calls that reach the disk, per file name, and lets a test replace any of them. */
export function spyIo(overrides: Partial<FileIo> = {}): { io: FileIo; syncs: string[]; writes: string[]; dirSyncs: string[] } {
  const base = { ...nodeFileIo, ...overrides };
  const spy = { syncs: [] as string[], writes: [] as string[], dirSyncs: [] as string[] };
  const io: FileIo = {
    // Only when a test asks for it: the other tests count the explicit fsyncs of the plain path.
    ...(overrides.syncOnWriteFlags === undefined ? {} : { syncOnWriteFlags: overrides.syncOnWriteFlags }),
    write: (handle, filePath, chunks, position) => {
      spy.writes.push(path.basename(filePath));
      return base.write(handle, filePath, chunks, position);
    },
    sync: (handle, filePath) => {
      spy.syncs.push(path.basename(filePath));
      return base.sync(handle, filePath);
    },
    syncDirectory: (dirPath) => {
      spy.dirSyncs.push(dirPath);
      return base.syncDirectory(dirPath);
    },
  };
  return { io, ...spy };
}

/** The bytes our writer would produce for a file holding `payloads` (crash simulations). */
export function fileBytes(kind: FileKind, generation: number, payloads: Uint8Array[]): Buffer {
  return Buffer.concat([encodeHeader(kind, generation), ...payloads.flatMap((payload) => [encodeRecordPrefix(payload), payload])]);
}

export async function writeDocFiles(docDir: string, files: Record<string, Uint8Array>): Promise<void> {
  await mkdir(docDir, { recursive: true });
  for (const [name, data] of Object.entries(files)) await writeFile(path.join(docDir, name), data);
}

export const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

export const toArrays = (updates: Uint8Array[]): number[][] => updates.map((update) => Array.from(update));

/** Lets pending promise callbacks and timers of the current moment run. */
export const settle = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds: for states reached through real I/O, whose timing varies. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Files under `dir` this process holds open right now (Linux /proc; null elsewhere). */
export async function openFilesUnder(dir: string): Promise<string[] | null> {
  let fds: string[];
  try {
    fds = await readdir('/proc/self/fd');
  } catch {
    return null;
  }
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target.startsWith(`${dir}${path.sep}`)).sort();
}

export function flipByte(data: Buffer, index: number, mask = 0xff): void {
  data.writeUInt8(data.readUInt8(index) ^ mask, index);
}

export function ioError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated disk failure`), { code });
}
