import { performance } from 'node:perf_hooks';
import { appendParagraphs } from '../loadgen/content.js';
import { Session } from '../loadgen/session.js';
import { MeasuredWindow, round, sleep } from '../loadgen/util.js';
import { runFanout } from './fanout.js';
import type { WorkloadContext, WorkloadDescriptor } from './types.js';

const TYPING = { docs: 20, clientsPerDoc: 2, editsPerSecond: 5, paragraphs: 2 } as const;
/** Bulk phase: one client pastes a 4 kB paragraph 100 times a second (400 kB/s into one document). */
const PASTE_BYTES = 4096;
const PASTES_PER_S = 100;

/**
 * Workload 6: what durability costs, measured on Roundtable itself.
 *
 * A. Typing, 20 documents × 2 clients × 5 edits/s, no tracing: server CPU per update, bytes the
 *    process sent to the storage layer (/proc/<pid>/io write_bytes, page-granular, so a 60-byte
 *    record + fsync counts as a dirtied 4 kB page) and growth of the data directory.
 * B. Restarted under `strace -f --seccomp-bpf -ttt -y`: the same typing load; fsync/fdatasync
 *    calls per second and bytes of write-family syscalls on files in DATA_DIR per byte of update
 *    received (logical write amplification).
 * C. Still traced: bulk pastes into one document, enough to push its log past the 1 MiB
 *    compaction threshold, so the amplification includes snapshot writes.
 * D. Restarted with persistence off — the same build with its documents in the in-memory
 *    reference store (bench/servers/roundtableWithoutPersistence.ts) — and the typing load of A
 *    again: "CPU with persistence on versus off" compares A with D, same server, same load.
 *    (Until round 2 the y-websocket reference server stood in for "off"; it measured the
 *    difference between two servers, not the cost of persistence.)
 */
export const persistence: WorkloadDescriptor = {
  name: 'persistence',
  title: 'Persistence',
  shape: 'typing: 20 documents × 2 clients × 5 edits/s; bulk: 4 kB pastes at 100/s into one document',
  servers: ['roundtable'],
  metrics: [
    { key: 'cpuPer1kUpdates', label: 'server CPU per 1,000 updates (typing, persistence on)', unit: 'ms', better: 'lower', digits: 2 },
    { key: 'cpuPer1kUpdatesOff', label: 'server CPU per 1,000 updates (typing, persistence off: same build, documents in memory)', unit: 'ms', better: 'lower', digits: 2 },
    { key: 'persistenceCpuRatio', label: 'server CPU, persistence on ÷ off (typing)', unit: '×', better: 'lower', digits: 2 },
    { key: 'typingWriteAmp', label: 'write amplification, typing (file bytes ÷ update bytes)', unit: '×', better: 'lower', digits: 2, target: { maxValue: 2, text: '≤ 2' } },
    { key: 'bulkWriteAmp', label: 'write amplification, bulk incl. compaction', unit: '×', better: 'lower', digits: 2, target: { maxValue: 2, text: '≤ 2' } },
    { key: 'physicalWriteAmp', label: 'storage-layer bytes ÷ update bytes (typing, page-granular)', unit: '×', better: 'lower', digits: 1 },
    // A write through an O_DSYNC descriptor is a data sync too, so it counts like an fdatasync.
    { key: 'fsyncsPerS', label: 'syncs/s: fsync, fdatasync, O_DSYNC writes (typing, 200 updates/s)', unit: '/s', better: 'lower', digits: 0 },
    { key: 'bulkFsyncsPerS', label: 'syncs/s (bulk, 100 pastes/s)', unit: '/s', better: 'lower', digits: 0 },
    { key: 'p99Ms', label: 'fan-out latency p99 (typing)', unit: 'ms', better: 'lower', digits: 2 },
  ],
  async run(ctx) {
    const { settings, ctl } = ctx;
    const a = await runFanout(ctx, TYPING, { warmupS: settings.warmupS, durationS: settings.durationS, seed: 6 });
    const metrics: Record<string, number | null> = {
      cpuPer1kUpdates: a.editsSent > 0 ? round((a.window.serverCpuSeconds / a.editsSent) * 1e6, 4) : null,
      p99Ms: a.metrics['p99Ms'] ?? null,
      updateKBPerS: round(a.updateBytesSent / 1024 / a.window.seconds, 2),
      serverCpuCores: round(a.window.serverCpuSeconds / a.window.seconds, 4),
      physicalWriteAmp: null,
      dataDirGrowthPerUpdateByte: null,
      typingWriteAmp: null,
      bulkWriteAmp: null,
      fsyncsPerS: null,
      bulkFsyncsPerS: null,
      cpuPer1kUpdatesOff: null,
      persistenceCpuRatio: null,
    };
    let loadgenCpu = a.window.loadgenCpu;
    let converged = a.converged;

    metrics['physicalWriteAmp'] = round((a.window.end.writeBytes - a.window.start.writeBytes) / Math.max(1, a.updateBytesSent), 2);
    const grew = (a.window.end.dataDirBytes ?? 0) - (a.window.start.dataDirBytes ?? 0);
    metrics['dataDirGrowthPerUpdateByte'] = round(grew / Math.max(1, a.updateBytesSent), 3);

    await ctl.restart({ strace: true });
    const short = Math.max(1, settings.durationS / 2);
    const b = await runFanout(ctx, TYPING, { warmupS: Math.min(1, settings.warmupS), durationS: short, seed: 66 });
    converged = converged && b.converged;
    loadgenCpu = Math.max(loadgenCpu, b.window.loadgenCpu);
    await sleep(300); // strace writes its log line by line; give the tail a moment
    const tb = await ctl.trace({ fromMs: b.window.startEpochMs, toMs: b.window.endEpochMs });
    if (tb) {
      metrics['typingWriteAmp'] = round(tb.fileWriteBytes / Math.max(1, b.updateBytesSent), 3);
      metrics['fsyncsPerS'] = round((tb.fsyncs + tb.syncWrites) / b.window.seconds, 1);
      metrics['typingFileWritesPerS'] = round(tb.fileWrites / b.window.seconds, 1);
    }

    const c = await bulkPaste(ctx, short);
    loadgenCpu = Math.max(loadgenCpu, c.loadgenCpu);
    await sleep(300);
    const tc = await ctl.trace({ fromMs: c.fromMs, toMs: c.toMs });
    if (tc) {
      metrics['bulkWriteAmp'] = round(tc.fileWriteBytes / Math.max(1, c.updateBytes), 3);
      metrics['bulkFsyncsPerS'] = round((tc.fsyncs + tc.syncWrites) / c.seconds, 1);
      metrics['bulkUpdateKBPerS'] = round(c.updateBytes / 1024 / c.seconds, 1);
    }
    if (!tb || !tc) ctx.notes.push('strace counts unavailable');

    await ctl.restart({ persistence: false });
    // As long a window as A's: the ratio compares like with like (a half-length window spread
    // 0.92–1.15 between repetitions).
    const d = await runFanout(ctx, TYPING, { warmupS: settings.warmupS, durationS: settings.durationS, seed: 666 });
    converged = converged && d.converged;
    loadgenCpu = Math.max(loadgenCpu, d.window.loadgenCpu);
    const off = d.editsSent > 0 ? (d.window.serverCpuSeconds / d.editsSent) * 1e6 : null;
    metrics['cpuPer1kUpdatesOff'] = off === null ? null : round(off, 4);
    const on = metrics['cpuPer1kUpdates'];
    metrics['persistenceCpuRatio'] = off !== null && off > 0 && on !== null && on !== undefined ? round(on / off, 3) : null;
    return { metrics, loadgenCpu, converged };
  },
};

interface BulkResult {
  fromMs: number;
  toMs: number;
  seconds: number;
  updateBytes: number;
  loadgenCpu: number;
}

/** One client pastes 4 kB paragraphs at a steady rate, waiting for the Saved acks at the end. */
async function bulkPaste(ctx: WorkloadContext, seconds: number): Promise<BulkResult> {
  const { ctl, recorder, errors } = ctx;
  const [target] = await ctl.docs(1);
  const writer = new Session({ target: target!, tag: 1, recorder, errors });
  try {
    await writer.connect();
    writer.change(() => appendParagraphs(writer.doc, 1, () => 'bulk: '));
    const window = new MeasuredWindow(ctl);
    await window.begin();
    const bytes0 = writer.updateBytesSent;
    const filler = 'Pasted minutes of the previous meeting, with decisions and action points. '.repeat(Math.ceil(PASTE_BYTES / 70)).slice(0, PASTE_BYTES);
    const end = performance.now() + seconds * 1000;
    let n = 0;
    // Bounded by time and by count.
    while (performance.now() < end && n < PASTES_PER_S * 600) {
      writer.change(() => appendParagraphs(writer.doc, 1, () => `${n} ${filler}`));
      n++;
      await sleep(1000 / PASTES_PER_S);
    }
    if (!(await writer.waitSaved(30_000))) errors.add('bulk pastes were not all acknowledged as saved');
    const result = await window.end();
    return { fromMs: result.startEpochMs, toMs: result.endEpochMs, seconds: result.seconds, updateBytes: writer.updateBytesSent - bytes0, loadgenCpu: result.loadgenCpu };
  } finally {
    await writer.close();
    writer.destroy();
  }
}
