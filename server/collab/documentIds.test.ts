import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isValidId } from '../../shared/domain/index.js';
import { FileDocStore } from '../storage/file/fileDocStore.js';

/**
 * Odd document ids at the two gates the sync server relies on: the id check at the upgrade
 * (isValidId, SYNC-5) and the store's own check before an id becomes a path (STORE-1).
 */
const ODD_IDS = [
  '',
  '.',
  '..',
  '../meta',
  '..\\meta',
  'a/b',
  'a\\b',
  '%2e%2e',
  '%2E%2E%2Fmeta',
  'doc\u0000',
  'doc\n',
  ' doc',
  'Doc',
  '-leading-hyphen',
  'd\u043ec', // Cyrillic "о" in the middle
  '\uff41bc', // full-width "a"
  'e\u0301t\u00e9', // combining accent and a precomposed one
  'a'.repeat(65),
];

describe('document ids never reach file paths', () => {
  it.each(ODD_IDS.map((id) => [JSON.stringify(id), id]))('SYNC-5, STORE-1: %s is refused by the id check and by the store', async (_shown, id) => {
    expect(isValidId(id)).toBe(false);
    const root = await mkdtemp(path.join(os.tmpdir(), 'roundtable-ids-'));
    const store = new FileDocStore({ dir: path.join(root, 'docs'), logger: pino({ level: 'silent' }) });
    try {
      await expect(store.load(id)).rejects.toMatchObject({ code: 'INVALID_DOC_ID' });
      await expect(store.append(id, new Uint8Array([0, 0]))).rejects.toMatchObject({ code: 'INVALID_DOC_ID' });
      // Nothing was created anywhere.
      expect(await readdir(root)).toEqual([]);
    } finally {
      await store.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('SYNC-5: the longest valid id (64 characters) passes', () => {
    expect(isValidId('a'.repeat(64))).toBe(true);
    expect(isValidId('0-document-id')).toBe(true);
  });
});
