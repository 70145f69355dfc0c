import { readdir } from 'node:fs/promises';
import path from 'node:path';
import * as Y from 'yjs';
import { Prng } from '../reliability/network/prng.js';
import { waitFor } from '../helpers/collabClients.js';
import type { ServerProcess } from '../helpers/serverProcess.js';
import { createDraft } from '../helpers/workspace.js';
import { CrashClient, blockTexts } from './crashClient.js';

export interface CrashOptions {
  server: ServerProcess;
  seed: number;
  cycles: number;
  documents?: number;
  clientsPerDocument?: number;
  /** Called with one line per cycle, e.g. console.log when running the long version. */
  progress?: (line: string) => void;
}

export interface CrashReport {
  seed: number;
  cyclesDone: number;
  edits: number;
  acks: number;
  /** Compactions during the run, summed over the documents. */
  compactions: number;
  /** Time spent waiting for the server to start again, summed over the cycles. */
  restartSeconds: number;
  /** Why and when an invariant broke; empty when the run passed. */
  problems: string[];
}

interface Tracked {
  docId: string;
  /** Block texts of the template, each of which must stay present exactly once. */
  template: Map<string, number>;
  clients: CrashClient[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function counts(texts: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const text of texts) map.set(text, (map.get(text) ?? 0) + 1);
  return map;
}

/** A fresh reader's view of a document on the server: a raw client that syncs and leaves. */
async function readServer(server: ServerProcess, docId: string): Promise<Y.Doc> {
  const reader = new CrashClient('reader');
  await reader.connect(server.wsUrl, docId);
  await waitFor(() => reader.synced, `reader synced on ${docId}`);
  reader.disconnect();
  return reader.doc;
}

/**
 * The rules REL-1..REL-3 (docs/RELIABILITY.md) checked against what a new visitor would load:
 * acknowledged creations present exactly once, acknowledged deletions absent, the template
 * exactly once, nothing duplicated, the document not empty.
 */
function checkDocument(label: string, doc: Y.Doc, tracked: Tracked): string[] {
  const problems: string[] = [];
  const found = counts(blockTexts(doc));
  if (found.size === 0) problems.push(`${label}: the document is empty`);
  for (const [text, expected] of tracked.template) {
    const actual = found.get(text) ?? 0;
    if (actual !== expected) problems.push(`${label}: template block "${text.slice(0, 40)}" appears ${actual}× (expected ${expected})`);
  }
  for (const [text, n] of found) {
    if (n > 1 && !tracked.template.has(text)) problems.push(`${label}: "${text.slice(0, 40)}" appears ${n}×`);
  }
  for (const client of tracked.clients) {
    for (const text of client.mustHave) if (!found.has(text)) problems.push(`${label}: acknowledged paragraph "${text.slice(0, 40)}" of ${client.name} is missing`);
    for (const text of client.mustNotHave) if (found.has(text)) problems.push(`${label}: acknowledged deletion of "${text.slice(0, 40)}" by ${client.name} was undone`);
  }
  return problems;
}

/**
 * The crash driver: several clients edit several documents through the real server process while
 * it is SIGKILLed at seeded moments and restarted on the same DATA_DIR. The seed fixes every
 * decision (what is edited, when the kill comes); the wall clock still decides how far the server
 * got, which is the point — each cycle kills it in a different state.
 */
export async function runCrashTest(options: CrashOptions): Promise<CrashReport> {
  const { server, seed, cycles } = options;
  const prng = new Prng(seed);
  const report: CrashReport = { seed, cyclesDone: 0, edits: 0, acks: 0, restartSeconds: 0, compactions: 0, problems: [] };
  const tracked: Tracked[] = [];
  for (let d = 0; d < (options.documents ?? 3); d++) {
    const { id } = await createDraft(server, `Crash test ${d}`);
    const template = counts(blockTexts(await readServer(server, id)));
    const clients = Array.from({ length: options.clientsPerDocument ?? 2 }, (_, c) => new CrashClient(`d${d}c${c}`));
    tracked.push({ docId: id, template, clients });
  }
  const everyone = tracked.flatMap((t) => t.clients);
  let counter = 0;
  const edit = (client: CrashClient): void => {
    // As many deletions as creations once a client has a few paragraphs: the documents stay
    // small (cheap to check every cycle) while their logs grow past the 1 MiB compaction
    // threshold every few dozen cycles, so some kills land around a compaction.
    if (client.own.length > 8 && prng.chance(0.5)) {
      client.deleteParagraph(prng.pick(client.own));
    } else {
      client.addParagraph(`${client.name} #${++counter} ${'x'.repeat(prng.int(0, 4000))}`);
    }
    report.edits++;
  };

  for (let cycle = 1; cycle <= cycles; cycle++) {
    // Everyone reconnects to the new process (its port changed) and edits until the kill.
    await Promise.all(tracked.flatMap((t) => t.clients.map((client) => client.connect(server.wsUrl, t.docId).catch(() => undefined))));
    const plan = prng.weighted({ handshake: 1, editing: 6, afterAck: 3 });
    const killAfterMs = plan === 'handshake' ? prng.int(0, 20) : prng.int(30, 400);
    const acksAtStart = everyone.reduce((sum, client) => sum + client.acks, 0);
    const editingFrom = Date.now();
    // 'afterAck' kills the instant a third new acknowledgement arrived, or after 2 s at most.
    const deadline = editingFrom + (plan === 'afterAck' ? 2000 : killAfterMs);
    for (let tick = 0; tick < 1000; tick++) {
      const acks = everyone.reduce((sum, client) => sum + client.acks, 0);
      if ((plan === 'afterAck' && acks > acksAtStart + 2) || Date.now() >= deadline) break;
      for (const client of everyone) if (client.synced && prng.chance(0.3)) edit(client);
      await sleep(2);
    }
    await server.kill('SIGKILL');
    for (const client of everyone) client.disconnect();
    // Offline edits made while the server is down ride in the next handshake's Step2.
    for (const client of everyone) if (prng.chance(0.3)) edit(client);

    const restarting = Date.now();
    await server.launch();
    const verifying = Date.now();
    report.restartSeconds += (verifying - restarting) / 1000;
    const views = await Promise.all(tracked.map((t) => readServer(server, t.docId)));
    const problems = tracked.flatMap((t, i) => checkDocument(`cycle ${cycle}, ${t.docId}`, views[i]!, t));
    if (problems.length > 0) {
      report.problems.push(...problems);
      return report;
    }
    const errors = server.logs.filter((line) => line.level >= 50);
    if (errors.length > 0) {
      report.problems.push(`cycle ${cycle}: the server logged errors: ${errors.map((line) => line.msg).join('; ')}`);
      return report;
    }
    report.cyclesDone = cycle;
    options.progress?.(
      `crash cycle ${cycle}/${cycles} (seed ${seed}): ${plan}, edited ${restarting - editingFrom} ms, ` +
        `restart ${verifying - restarting} ms, check ${Date.now() - verifying} ms, ${report.edits} edits so far`,
    );
  }

  report.problems.push(...(await converge(server, tracked)));
  for (const t of tracked) {
    // Each compaction raises the generation by one (STORAGE.md), so the newest snapshot counts them.
    // With the shared journal (DOC_STORE=journal) there is no per-document directory to count in.
    const names = await readdir(path.join(server.dataDir, 'docs', t.docId)).catch(() => [] as string[]);
    const generations = names.map((name) => /^(\d+)\.snap$/.exec(name)?.[1]);
    report.compactions += Math.max(0, ...generations.map(Number).filter((n) => !Number.isNaN(n)));
  }
  report.acks = everyone.reduce((sum, client) => sum + client.acks, 0);
  return report;
}

/** REL-4: after the last restart every client syncs, everything is acknowledged, and all agree. */
async function converge(server: ServerProcess, tracked: Tracked[]): Promise<string[]> {
  const problems: string[] = [];
  for (const t of tracked) {
    await Promise.all(t.clients.map((client) => client.connect(server.wsUrl, t.docId)));
    await waitFor(() => t.clients.every((client) => client.synced && client.allAcknowledged), `clients of ${t.docId} synced and acknowledged`, 30_000);
    const reference = await readServer(server, t.docId);
    const expectedVector = hex(Y.encodeStateVector(reference));
    const expectedBody = reference.getXmlFragment('default').toString();
    for (const client of t.clients) {
      if (hex(Y.encodeStateVector(client.doc)) !== expectedVector) problems.push(`end: ${client.name} state vector differs from the server's`);
      if (client.doc.getXmlFragment('default').toString() !== expectedBody) problems.push(`end: ${client.name} body differs from the server's`);
      // Whole-paragraph edits never split an item, so the encodings must match byte for byte.
      if (hex(Y.encodeStateAsUpdate(client.doc)) !== hex(Y.encodeStateAsUpdate(reference))) problems.push(`end: ${client.name} encodes differently from the server`);
      client.disconnect();
    }
    problems.push(...checkDocument(`end, ${t.docId}`, reference, t));
  }
  return problems;
}
