import { performance } from 'node:perf_hooks';
import { Session } from '../loadgen/session.js';
import { MeasuredWindow, round, sleep } from '../loadgen/util.js';
import { medianOf, percentile } from '../metrics/percentiles.js';
import { SERVER_NAMES } from '../types.js';
import type { WorkloadDescriptor } from './types.js';

const CLIENTS = 1000;
const DOCS = 100;

/**
 * Workload 4: 1,000 clients open 100 documents at the same instant (a server restart behind a
 * load balancer looks like this). "Synced" = the client received the server's Step2 (after
 * Hocuspocus' auth). The documents exist but have not been opened since the server started
 * (Roundtable: created through the API, so each load reads its file; baselines: empty).
 *
 * The server is restarted between creating the documents and the storm, for every server, so
 * that the storm meets a freshly started process as in the scenario: creating 100 documents
 * through the API is setup, and its garbage (V8 grows its young generation under that burst and
 * gives it back only after seconds of quiet) would otherwise be counted in the storm's peak RSS,
 * while the JIT it warms would not be cold as after a real restart. The baselines run in memory,
 * so their restart loses nothing (their documents start empty either way).
 */
export const connectStorm: WorkloadDescriptor = {
  name: 'connect-storm',
  title: 'Connect storm',
  shape: '1,000 clients onto 100 documents at once',
  servers: SERVER_NAMES,
  metrics: [
    { key: 'allSyncedMs', label: 'time until all synced', unit: 'ms', better: 'lower', digits: 0, target: { maxRatio: 1.0, text: '≤ 1.0× best' } },
    { key: 'medianSyncedMs', label: 'median client synced after', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'serverCpuS', label: 'server CPU during the storm', unit: 's', better: 'lower', digits: 3 },
    { key: 'peakRssMB', label: 'peak RSS during the storm', unit: 'MB', better: 'lower', digits: 1, target: { maxRatio: 1.0, text: '≤ 1.0× best' } },
    { key: 'failed', label: 'clients that never synced', unit: '', better: 'lower', digits: 0, hidden: true },
  ],
  async run(ctx) {
    const { ctl, recorder, errors } = ctx;
    const created = await ctl.docs(DOCS);
    await ctl.restart();
    const targets = await ctl.targets(created.map((target) => target.docName));
    const sessions = Array.from({ length: CLIENTS }, (_, i) => new Session({ target: targets[i % DOCS]!, tag: i + 1, recorder, errors }));
    // Synced = the Step2 arrived; applying it is the client's work, not the server's. Roundtable's
    // documents carry the working-draft template (a 657-byte Step2, ~0.4–0.6 ms to apply into an
    // empty Y.Doc on this machine) where the baselines' are empty (2 bytes): applied, it cost the
    // generator ~0.6 s more CPU per Roundtable storm and pushed it to 89 % of a core (invalid run).
    for (const session of sessions) session.applyStep2 = false;
    try {
      await sleep(300); // let the server settle after its start (and Roundtable's sign-in check)
      const window = new MeasuredWindow(ctl);
      await window.begin();
      const start = performance.now();
      const times = await Promise.all(
        sessions.map((s) =>
          s.connect(30_000).then(
            () => performance.now() - start,
            (error: unknown) => {
              errors.add(`storm client failed: ${String(error)}`);
              return null;
            },
          ),
        ),
      );
      const result = await window.end();
      const ok = times.filter((t): t is number => t !== null);
      return {
        loadgenCpu: result.loadgenCpu,
        converged: null,
        metrics: {
          allSyncedMs: ok.length === CLIENTS ? round(Math.max(...ok), 1) : null,
          medianSyncedMs: round(medianOf(ok), 1),
          p90SyncedMs: round(percentile(ok, 90), 1),
          serverCpuS: round(result.serverCpuSeconds, 3),
          peakRssMB: round(result.end.hwmBytes / 1024 / 1024, 1),
          // Before the storm: start-up and document creation (for Roundtable, scrypt included).
          peakRssBeforeMB: round(result.start.hwmBytes / 1024 / 1024, 1),
          rssAfterMB: round(result.end.rssBytes / 1024 / 1024, 1),
          failed: CLIENTS - ok.length,
        },
      };
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
      for (const s of sessions) s.destroy();
    }
  },
};
