import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { isValidId } from '../../shared/domain/index.js';

/**
 * The backup archive: one file, written by `npm run backup`, read by `npm run restore`
 * (docs/RELIABILITY.md, "Backup and restore"). All integers little-endian.
 *
 * ```
 * header  "RTBK" | u16 version (1) | u16 reserved (0) | u32 CRC32 of bytes 0..7          12 bytes
 * entry   u8 kind | u8 reserved (0) | u16 name length | u32 payload length | name | payload
 *         | u32 CRC32 of everything from `kind` to the end of the payload
 * ```
 *
 * Entries: exactly one `meta` (name `meta.json`, the file's bytes), one `document` per document
 * (name = document id, payload = the whole document as ONE Yjs update), and a final `end` entry
 * whose payload is JSON `{ "documents": n, "createdAt": … }`. A missing `end` entry means a
 * truncated archive; anything after it is refused. Every entry is checked before restore writes
 * a single byte.
 */

export const ARCHIVE_VERSION = 1;
const MAGIC = 'RTBK';
const HEADER_SIZE = 12;
const ENTRY_HEAD_SIZE = 8;
/** Same bound as one record of the update log: anything larger is damage, not a document. */
const MAX_PAYLOAD_BYTES = 1 << 30;

export const EntryKind = { Meta: 1, Document: 2, End: 3 } as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

export interface ArchiveEntry {
  kind: EntryKind;
  name: string;
  payload: Uint8Array;
}

export interface ArchiveSummary {
  documents: number;
  createdAt: string;
}

/** The archive cannot be used; `message` says why in terms an operator can act on. */
export class ArchiveError extends Error {
  readonly code = 'BACKUP_ARCHIVE_INVALID';
  constructor(file: string, detail: string) {
    super(`${file} is not a usable Roundtable backup: ${detail}`);
    this.name = 'ArchiveError';
  }
}

function header(): Buffer {
  const bytes = Buffer.alloc(HEADER_SIZE);
  bytes.write(MAGIC, 0, 'latin1');
  bytes.writeUInt16LE(ARCHIVE_VERSION, 4);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, 8)), 8);
  return bytes;
}

/**
 * Writes an archive to a temporary file next to `file` and renames it into place only once it is
 * complete and fsync'd, so an interrupted backup never leaves something that looks like one.
 */
export class ArchiveWriter {
  private position = 0;

  private constructor(
    private readonly file: string,
    private readonly temporary: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(file: string): Promise<ArchiveWriter> {
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    const handle = await open(temporary, 'wx', 0o600);
    const writer = new ArchiveWriter(file, temporary, handle);
    await writer.write([header()]);
    return writer;
  }

  async add(kind: EntryKind, name: string, payload: Uint8Array): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8');
    const head = Buffer.alloc(ENTRY_HEAD_SIZE);
    head.writeUInt8(kind, 0);
    head.writeUInt16LE(nameBytes.length, 2);
    head.writeUInt32LE(payload.byteLength, 4);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32LE(crc32(payload, crc32(nameBytes, crc32(head))));
    await this.write([head, nameBytes, payload, checksum]);
  }

  /** Writes the `end` entry, makes the file durable and moves it to its final name. */
  async finish(summary: ArchiveSummary): Promise<number> {
    await this.add(EntryKind.End, '', Buffer.from(JSON.stringify(summary), 'utf8'));
    await this.handle.sync();
    await this.handle.close();
    await rename(this.temporary, this.file);
    const dir = await open(path.dirname(this.file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return this.position;
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.temporary, { force: true });
  }

  private async write(chunks: Uint8Array[]): Promise<void> {
    for (const chunk of chunks) {
      let offset = 0;
      while (offset < chunk.byteLength) {
        const { bytesWritten } = await this.handle.write(chunk, offset, chunk.byteLength - offset, this.position);
        offset += bytesWritten;
        this.position += bytesWritten;
      }
    }
  }
}

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer | undefined> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) return undefined;
    filled += bytesRead;
  }
  return buffer;
}

/**
 * Reads and checks every entry in order, one at a time (a document is never held twice in
 * memory). Throws ArchiveError on the first problem; the `end` entry is checked last, so a caller
 * that must not act on a damaged archive iterates once to verify before acting.
 */
export async function* readArchive(file: string): AsyncGenerator<ArchiveEntry, ArchiveSummary> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new ArchiveError(file, `it cannot be opened (${(error as Error).message})`);
  }
  try {
    const head = await readExactly(handle, 0, HEADER_SIZE);
    if (!head || head.toString('latin1', 0, 4) !== MAGIC) throw new ArchiveError(file, 'it does not start with the archive header');
    if (head.readUInt32LE(8) !== crc32(head.subarray(0, 8))) throw new ArchiveError(file, 'the header checksum does not match');
    const version = head.readUInt16LE(4);
    if (version !== ARCHIVE_VERSION) throw new ArchiveError(file, `it has format version ${version}; this release reads version ${ARCHIVE_VERSION}`);

    const seen = new Set<string>();
    let position = HEADER_SIZE;
    let documents = 0;
    let meta = false;
    const { size } = await handle.stat();
    // Bounded by the file: every iteration consumes at least ENTRY_HEAD_SIZE + 4 bytes.
    while (position < size) {
      const entryHead = await readExactly(handle, position, ENTRY_HEAD_SIZE);
      if (!entryHead) throw new ArchiveError(file, `it is truncated at byte ${position}`);
      const kind = entryHead.readUInt8(0);
      const nameLength = entryHead.readUInt16LE(2);
      const payloadLength = entryHead.readUInt32LE(4);
      if (payloadLength > MAX_PAYLOAD_BYTES) throw new ArchiveError(file, `the entry at byte ${position} claims ${payloadLength} bytes`);
      const body = await readExactly(handle, position + ENTRY_HEAD_SIZE, nameLength + payloadLength + 4);
      if (!body) throw new ArchiveError(file, `it is truncated inside the entry at byte ${position}`);
      const name = body.toString('utf8', 0, nameLength);
      const payload = body.subarray(nameLength, nameLength + payloadLength);
      const expected = crc32(payload, crc32(body.subarray(0, nameLength), crc32(entryHead)));
      if (body.readUInt32LE(nameLength + payloadLength) !== expected) throw new ArchiveError(file, `the entry at byte ${position} ("${name}") fails its checksum`);
      position += ENTRY_HEAD_SIZE + body.length;

      if (kind === EntryKind.End) {
        if (position !== size) throw new ArchiveError(file, `${size - position} unexpected bytes follow the end entry`);
        let summary: ArchiveSummary;
        try {
          summary = JSON.parse(Buffer.from(payload).toString('utf8')) as ArchiveSummary;
        } catch {
          throw new ArchiveError(file, 'its end entry is not readable');
        }
        if (!meta) throw new ArchiveError(file, 'it holds no meta.json');
        if (summary.documents !== documents) throw new ArchiveError(file, `it should hold ${summary.documents} documents but holds ${documents}`);
        return summary;
      }
      if (kind === EntryKind.Meta) {
        if (meta || name !== 'meta.json') throw new ArchiveError(file, `unexpected metadata entry "${name}"`);
        meta = true;
      } else if (kind === EntryKind.Document) {
        // Names become directory names on restore: they must be ids the server itself generates.
        if (!isValidId(name)) throw new ArchiveError(file, `document entry with an invalid id "${name}"`);
        if (seen.has(name)) throw new ArchiveError(file, `document "${name}" appears twice`);
        seen.add(name);
        documents++;
      } else {
        throw new ArchiveError(file, `unknown entry kind ${kind} at byte ${position}`);
      }
      yield { kind, name, payload };
    }
    throw new ArchiveError(file, 'it ends without its end entry (the backup was cut short)');
  } finally {
    await handle.close();
  }
}

/** Reads the whole archive once, checking everything; returns its summary. */
export async function verifyArchive(file: string): Promise<ArchiveSummary> {
  const reader = readArchive(file);
  for (;;) {
    const next = await reader.next();
    if (next.done) return next.value;
  }
}
