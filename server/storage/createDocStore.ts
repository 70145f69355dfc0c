import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { DocStore } from './DocStore.js';
import { FileDocStore, type DocStoreHealth } from './file/fileDocStore.js';
import type { FileIo } from './file/fileIo.js';
import { JournalDocStore } from './journal/journalDocStore.js';

/** A DocStore that can say whether its writes are failing (/healthz). */
export type EmbeddedDocStore = DocStore & { health(): DocStoreHealth };

/**
 * The embedded store chosen by DOC_STORE (docs/STORAGE.md). The journal also reads the file
 * store's `${DATA_DIR}/docs`, so switching from `file` to `journal` keeps every document
 * (JOURNAL-6); switching back does not see what the journal wrote.
 *
 * `readOnly` is for tools and tests that look at a data directory: the journal then neither
 * maintains nor cleans up (the file store's load may still delete files a snapshot superseded,
 * as it always has).
 */
export function createDocStore(config: Config, logger: Logger, io?: FileIo, options: { readOnly?: boolean } = {}): EmbeddedDocStore {
  const docsDir = path.join(config.dataDir, 'docs');
  const ioOption = io ? { io } : {};
  if (config.storage.docStore === 'file') return new FileDocStore({ dir: docsDir, logger, ...ioOption });
  return new JournalDocStore({
    dir: path.join(config.dataDir, 'journal'),
    legacyDir: docsDir,
    logger,
    commitWindowMs: config.storage.journalCommitWindowMs,
    ...(options.readOnly ? { readOnly: true } : {}),
    ...ioOption,
  });
}
