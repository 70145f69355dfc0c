import { appendParagraphs } from '../loadgen/content.js';
import { Session } from '../loadgen/session.js';
import { mapLimit, round, sleep } from '../loadgen/util.js';
import { SERVER_NAMES } from '../types.js';
import type { WorkloadDescriptor } from './types.js';

const PARAGRAPHS = 20;
/**
 * Quiet time before each reading. V8 keeps the young generation it grew under a burst
 * of allocation (the suite's document creation, a server's start-up) until its memory reducer
 * runs after a few seconds without much allocation; a full GC alone does not give it back. 6 s was
 * enough for every server here (measured: RSS after GC unchanged at 0.3–4 s, settled from 6 s on,
 * Roundtable 106 → 78 MB, y-websocket 62 → 59 MB). Waited for every server alike, and before all
 * three readings, so that the per-document and per-connection differences compare settled states.
 */
const QUIET_MS = 6000;

/**
 * Workload 5: memory at rest. RSS after a forced full GC (the suite preloads a SIGUSR2 → gc()
 * hook into every server process; no server code is involved) at three points, each after a
 * quiet period (QUIET_MS): fresh server; 100 documents loaded (~10 kB of text each, one
 * connection each); 900 more idle connections.
 * Per connection = step 3 − step 2 over 900; per document = step 2 − step 1 over 100, minus one
 * connection. RSS after GC still includes heap the V8 keeps reserved, so small differences are
 * noise; the per-unit numbers are what the comparison is about.
 */
export const idleFootprint: WorkloadDescriptor = {
  name: 'idle',
  title: 'Idle footprint',
  shape: '100 loaded documents (~10 kB text each), then 900 more idle connections; RSS after GC',
  servers: SERVER_NAMES,
  metrics: [
    { key: 'perDocKB', label: 'RSS per loaded document', unit: 'kB', better: 'lower', digits: 1 },
    { key: 'perConnKB', label: 'RSS per idle connection', unit: 'kB', better: 'lower', digits: 1 },
    { key: 'baseMB', label: 'RSS of the fresh server', unit: 'MB', better: 'lower', digits: 1 },
    // Everything before the first document opens: start-up and, for Roundtable, the first admin's
    // password hash and the bench's sign-in (scrypt, 32 MiB each, one at a time).
    { key: 'startPeakMB', label: 'peak RSS of start-up, sign-in and document creation', unit: 'MB', better: 'lower', digits: 1 },
    { key: 'totalMB', label: 'RSS with 100 docs + 1,000 connections (quick: half)', unit: 'MB', better: 'lower', digits: 1 },
  ],
  async run(ctx) {
    const { ctl, recorder, errors, settings } = ctx;
    // The smoke run halves the counts (per-unit numbers stay comparable, totals do not).
    const DOCS = settings.quick ? 50 : 100;
    const EXTRA_CONNECTIONS = settings.quick ? 450 : 900;
    const targets = await ctl.docs(DOCS);
    const sessions: Session[] = [];
    try {
      await sleep(QUIET_MS);
      const base = await ctl.gc();
      const owners = targets.map((target, i) => new Session({ target, tag: i + 1, recorder, errors }));
      sessions.push(...owners);
      await mapLimit(owners, 20, async (s, i) => {
        await s.connect();
        s.change(() => appendParagraphs(s.doc, PARAGRAPHS, (p) => `Document ${i}, paragraph ${p}: `.padEnd(500, 'lorem ipsum ')));
        await s.roundTrip();
        await s.waitSaved();
      });
      await sleep(QUIET_MS);
      const loaded = await ctl.gc();
      const extra = Array.from({ length: EXTRA_CONNECTIONS }, (_, i) => new Session({ target: targets[i % DOCS]!, tag: DOCS + i + 1, recorder, errors }));
      sessions.push(...extra);
      await mapLimit(extra, 50, (s) => s.connect().catch((error: unknown) => errors.add(`connect failed: ${String(error)}`)));
      // Sessions keep their own Y.Doc; the server's memory is what is measured.
      await sleep(QUIET_MS);
      const connected = await ctl.gc();
      const perConn = (connected.rssBytes - loaded.rssBytes) / EXTRA_CONNECTIONS;
      const perDoc = (loaded.rssBytes - base.rssBytes) / DOCS - perConn;
      return {
        loadgenCpu: 0,
        converged: null,
        metrics: {
          perDocKB: round(perDoc / 1024, 1),
          perConnKB: round(perConn / 1024, 1),
          baseMB: round(base.rssBytes / 1024 / 1024, 1),
          startPeakMB: round(base.hwmBytes / 1024 / 1024, 1),
          loadedMB: round(loaded.rssBytes / 1024 / 1024, 1),
          totalMB: round(connected.rssBytes / 1024 / 1024, 1),
        },
      };
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
      for (const s of sessions) s.destroy();
    }
  },
};
