import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ArchiveError } from '../../server/ops/archive.js';
import { backupDataDir } from '../../server/ops/backup.js';
import { RestoreError, restoreDataDir } from '../../server/ops/restore.js';
import { RawClient, appendParagraph, bodyOf } from '../helpers/collabClients.js';
import { SERVER_ENTRY, ServerProcess } from '../helpers/serverProcess.js';
import { hasSnapshot, storedDocs } from '../helpers/storedContent.js';
import { createDraft } from '../helpers/workspace.js';

/**
 * Online backup and restore through the compiled CLIs (docs/RELIABILITY.md, BACKUP-n): a backup
 * taken while clients keep editing (and the big document keeps compacting) restores into a
 * server that serves every document; a backup of a stopped server restores byte for byte.
 */
const run = promisify(execFile);
const distOps = path.join(path.dirname(SERVER_ENTRY), 'ops');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function cli(name: 'backupCli' | 'restoreCli', dataDir: string, file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(distOps, `${name}.js`), file], { env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function documentIds(dataDir: string): Promise<string[]> {
  const meta = JSON.parse(await readFile(path.join(dataDir, 'meta.json'), 'utf8')) as { documents: { id: string }[] };
  return meta.documents.map((document) => document.id);
}

async function readOnServer(server: ServerProcess, docId: string): Promise<Y.Doc> {
  const reader = await RawClient.connect(server.wsUrl, docId, { ack: false });
  reader.close();
  return reader.doc;
}

/** What a process that loads the directory gets, per document, through the configured store: merged like Room.load does. */
const loadAll = (dataDir: string, ids: string[]): Promise<Map<string, Y.Doc>> => storedDocs({ dataDir }, ids);

/** Names, sizes and modification times of everything under `dir`. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  const lines = await Promise.all(entries.map(async (name) => {
    const info = await stat(path.join(dir, name));
    return `${name} ${info.size} ${info.mtimeMs}`;
  }));
  return lines.sort();
}

describe('online backup and restore (BACKUP)', () => {
  let live: ServerProcess;
  const temporary: string[] = [];
  const tempDir = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'roundtable-backup-'));
    temporary.push(dir);
    return dir;
  };
  beforeAll(async () => {
    live = await ServerProcess.start();
  });
  afterAll(async () => {
    await live.dispose();
    for (const dir of temporary) await rm(dir, { recursive: true, force: true });
  });

  it('BACKUP-1..5: a backup taken while clients edit restores every document, including everything acknowledged before it started', async () => {
    const [big, busy, quiet] = [await createDraft(live, 'Big'), await createDraft(live, 'Busy'), await createDraft(live, 'Quiet')];
    // More than the 1 MiB compaction threshold, so the big document has a snapshot and keeps compacting.
    const bigWriter = await RawClient.connect(live.wsUrl, big.id);
    for (let i = 0; i < 300; i++) appendParagraph(bigWriter.doc, `big ${i} ${'b'.repeat(4000)}`);
    await bigWriter.waitForAck();
    // The compaction runs alongside the appends: the acknowledgement does not wait for it (the
    // paragraphs of one event-loop turn may even arrive as one record), so wait for the snapshot.
    await expect.poll(() => hasSnapshot(live, big.id), { timeout: 20_000 }).toBe(true);
    const quietWriter = await RawClient.connect(live.wsUrl, quiet.id);
    appendParagraph(quietWriter.doc, 'quiet and acknowledged');
    await quietWriter.waitForAck();
    quietWriter.close();

    // Two clients keep editing throughout the backup; each paragraph remembers its message number.
    const writers = [bigWriter, await RawClient.connect(live.wsUrl, busy.id)];
    const written: { writer: RawClient; text: string; seq: number }[][] = [[], []];
    let editing = true;
    const editors = writers.map(async (writer, w) => {
      for (let i = 0; editing && i < 5000; i++) {
        const text = w === 0 ? `during backup 0.${i} ${'x'.repeat(20_000)}` : `during backup 1.${i}`;
        appendParagraph(writer.doc, text);
        written[w]!.push({ writer, text, seq: writer.sent });
        await sleep(10);
      }
    });
    await sleep(300);
    const acknowledged = written.flat().filter((entry) => entry.seq <= entry.writer.acked).map((entry) => entry.text);

    const archive = path.join(await tempDir(), 'live.rtbk');
    const backup = await cli('backupCli', live.dataDir, archive);
    editing = false;
    await Promise.all(editors);
    expect(backup.stderr).toBe('');
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up meta.json and \d+ documents/);
    for (const writer of writers) {
      await writer.waitForAck();
      writer.close();
    }

    // BACKUP-5: restore into an empty directory; a non-empty one is refused.
    const restoredDir = await tempDir();
    const restore = await cli('restoreCli', restoredDir, archive);
    expect(restore.code, restore.stderr).toBe(0);
    const again = await cli('restoreCli', restoredDir, archive);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty/);

    // The restored metadata names the same documents; every one of them loads on a new server.
    const ids = await documentIds(live.dataDir);
    expect(await documentIds(restoredDir)).toEqual(ids);
    const copy = await ServerProcess.start({}, restoredDir);
    temporary.push(copy.dataDir);
    try {
      for (const id of ids) {
        const restored = await readOnServer(copy, id);
        const current = await readOnServer(live, id);
        expect(bodyOf(restored), `document ${id} is empty after restore`).not.toBe('');
        // A state the live document had: everything restored is in the live document now …
        expect(Y.snapshotContainsUpdate(Y.snapshot(current), Y.encodeStateAsUpdate(restored)), `document ${id}`).toBe(true);
        // … and documents nobody edited during the backup are exactly equal.
        if (id !== big.id && id !== busy.id) expect(hex(Y.encodeStateVector(restored))).toBe(hex(Y.encodeStateVector(current)));
      }
      const body = (id: string) => readOnServer(copy, id).then(bodyOf);
      const restoredText = (await body(big.id)) + (await body(busy.id));
      for (const text of acknowledged) expect(restoredText, `acknowledged before the backup: ${text.slice(0, 30)}`).toContain(`>${text}<`);
      expect(await body(quiet.id)).toContain('quiet and acknowledged');
    } finally {
      await copy.kill('SIGKILL');
    }
  });

  it('BACKUP-6, JOURNAL-9: a backup of a stopped server is read-only and restores every document byte for byte, in the journal', async () => {
    expect(await live.kill('SIGTERM')).toBe(0);
    const before = await tree(live.dataDir);
    const archive = path.join(await tempDir(), 'stopped.rtbk');
    const result = await backupDataDir(live.dataDir, archive);
    expect(result.warnings).toEqual([]);
    expect(await tree(live.dataDir)).toEqual(before);

    const restoredDir = path.join(await tempDir(), 'new-data-dir');
    await restoreDataDir(archive, restoredDir);
    // JOURNAL-9: written in the default store's format, so the restored directory needs no migration.
    expect((await readdir(restoredDir)).filter((name) => name !== 'server.lock').sort()).toEqual(['journal', 'meta.json']);
    expect(await readFile(path.join(restoredDir, 'meta.json'))).toEqual(await readFile(path.join(live.dataDir, 'meta.json')));
    const ids = await documentIds(live.dataDir);
    const [original, restored] = [await loadAll(live.dataDir, ids), await loadAll(restoredDir, ids)];
    for (const id of ids) {
      const a = original.get(id)!;
      const b = restored.get(id)!;
      expect(hex(Y.encodeStateVector(b)), id).toBe(hex(Y.encodeStateVector(a)));
      expect(bodyOf(b), id).toBe(bodyOf(a));
      expect(hex(Y.encodeStateAsUpdate(b)), id).toBe(hex(Y.encodeStateAsUpdate(a)));
    }
    await live.launch();
  });

  it('BACKUP-7: a damaged or cut-short archive is refused before anything is written', async () => {
    const archive = path.join(await tempDir(), 'good.rtbk');
    await backupDataDir(live.dataDir, archive);
    const bytes = await readFile(archive);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 2)]! ^= 0xff;
    const cases: [string, Buffer, RegExp][] = [
      ['flipped byte', flipped, /fails its checksum|claims|truncated/],
      ['cut short', bytes.subarray(0, bytes.length - 100), /truncated|cut short/],
      ['not an archive', Buffer.from('{"hello":"world"}'), /archive header/],
    ];
    for (const [name, content, message] of cases) {
      const file = path.join(await tempDir(), `${name}.rtbk`);
      await writeFile(file, content);
      const target = path.join(await tempDir(), 'target');
      const error = await restoreDataDir(file, target).catch((caught: unknown) => caught);
      expect(error, name).toBeInstanceOf(ArchiveError);
      expect((error as Error).message, name).toMatch(message);
      await expect(readdir(target), `${name}: nothing written`).rejects.toThrow(/ENOENT/);
    }
    // A backup never overwrites a file, and a restore never touches a non-empty directory.
    await expect(backupDataDir(live.dataDir, archive)).rejects.toThrow(/already exists/);
    await expect(restoreDataDir(archive, live.dataDir)).rejects.toBeInstanceOf(RestoreError);
  });
});
