import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { backupDataDir } from '../../server/ops/backup.js';
import { restoreDataDir } from '../../server/ops/restore.js';
import { runCrashTest } from '../crash/crashDriver.js';
import { RawClient, appendParagraph, bodyOf } from '../helpers/collabClients.js';
import { ServerProcess } from '../helpers/serverProcess.js';
import { createDraft } from '../helpers/workspace.js';

/**
 * The shared journal (DOC_STORE=journal, docs/STORAGE.md "Journal") against the built server:
 * crash safety with the same driver as REL-1..4, a data directory written by the per-document
 * file store keeps its documents (JOURNAL-6), and backup/restore include the journal (JOURNAL-7).
 */
const JOURNAL = { DOC_STORE: 'journal' };
const CYCLES = Number(process.env.CRASH_CYCLES ?? 15);
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

async function readOnServer(server: ServerProcess, docId: string): Promise<Y.Doc> {
  const reader = await RawClient.connect(server.wsUrl, docId, { ack: false });
  reader.close();
  return reader.doc;
}

async function write(server: ServerProcess, docId: string, texts: string[]): Promise<void> {
  const writer = await RawClient.connect(server.wsUrl, docId);
  for (const text of texts) appendParagraph(writer.doc, text);
  await writer.waitForAck();
  writer.close();
}

async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return (await Promise.all(entries.map(async (name) => `${name} ${(await stat(path.join(dir, name))).mtimeMs}`))).sort();
}

describe('shared journal on the built server (JOURNAL)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it(
    `JOURNAL-8: SIGKILL at random moments loses no acknowledged edit, duplicates nothing, and clients converge (seed ${SEED}, ${CYCLES} cycles)`,
    async () => {
      const server = await ServerProcess.start(JOURNAL);
      cleanup.push(() => server.dispose());
      const report = await runCrashTest({ server, seed: SEED, cycles: CYCLES, progress: CYCLES > 50 ? (line) => console.log(line) : undefined });
      console.log(`journal crash test: seed ${SEED}, ${report.cyclesDone} kill cycles, ${report.edits} edits, ${report.acks} acks`);
      expect(report.problems, `reproduce with CRASH_SEED=${SEED} CRASH_CYCLES=${CYCLES}:\n${report.problems.join('\n')}`).toEqual([]);
      expect(report.cyclesDone).toBe(CYCLES);
      expect((await readdir(path.join(server.dataDir, 'journal'))).some((name) => name.endsWith('.jnl'))).toBe(true);
    },
    60_000 + CYCLES * 5_000,
  );

  it('JOURNAL-6, JOURNAL-7: documents of a file-store data directory keep loading on the journal; backup and restore include both', async () => {
    const old = await ServerProcess.start({ DOC_STORE: 'file' });
    cleanup.push(() => old.dispose());
    const [first, second] = [await createDraft(old, 'Written by the file store'), await createDraft(old, 'Also old')];
    await write(old, first.id, ['from the file store']);
    await write(old, second.id, ['second, untouched later']);
    expect(await old.kill('SIGTERM')).toBe(0);

    const server = await ServerProcess.start(JOURNAL, old.dataDir);
    expect(bodyOf(await readOnServer(server, first.id))).toContain('from the file store');
    await write(server, first.id, ['then through the journal']);
    expect(await server.kill('SIGKILL')).not.toBe(0); // acknowledged: must survive a kill
    await server.launch();
    const expected = bodyOf(await readOnServer(server, first.id));
    expect(expected).toContain('from the file store');
    expect(expected).toContain('then through the journal');
    expect(bodyOf(await readOnServer(server, second.id))).toContain('second, untouched later');
    expect(await server.kill('SIGTERM')).toBe(0);

    // JOURNAL-7: the backup reads docs/ and journal/ without changing either, and restores both.
    const before = await tree(old.dataDir);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'roundtable-journal-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const result = await backupDataDir(old.dataDir, path.join(dir, 'journal.rtbk'));
    expect(result.warnings).toEqual([]);
    expect(await tree(old.dataDir)).toEqual(before);
    await restoreDataDir(path.join(dir, 'journal.rtbk'), path.join(dir, 'restored'));
    const restored = await ServerProcess.start(JOURNAL, path.join(dir, 'restored'));
    cleanup.push(() => restored.dispose());
    await server.launch();
    for (const id of [first.id, second.id]) {
      const [a, b] = [await readOnServer(server, id), await readOnServer(restored, id)];
      expect(bodyOf(b), id).toBe(bodyOf(a));
      expect(Buffer.from(Y.encodeStateVector(b)).toString('hex'), id).toBe(Buffer.from(Y.encodeStateVector(a)).toString('hex'));
    }
    await server.kill('SIGKILL');
  });
});
