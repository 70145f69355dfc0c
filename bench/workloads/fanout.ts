import { appendParagraphs, lastParagraphTexts, marker, stateKey } from '../loadgen/content.js';
import { Session, nowUs } from '../loadgen/session.js';
import { MeasuredWindow, mapLimit, prng, round, sleep, startPacer, waitUntil, type PacedActor, type WindowResult } from '../loadgen/util.js';
import { SERVER_NAMES, type DocTarget, type MetricValue } from '../types.js';
import type { MetricSpec, WorkloadContext, WorkloadDescriptor } from './types.js';

/**
 * Steady typing load shared by many-docs, hot-doc and persistence: `docs` documents, each with
 * `clientsPerDoc` editors typing `editsPerSecond` small edits into Tiptap-shaped paragraphs.
 *
 * Setup: one client per document seeds the paragraphs and round-trips (so the server has them),
 * then the others connect and sync. During warm-up and the measured window received updates are
 * only scanned for send-time markers and kept (see UpdateMode 'deferred'); afterwards every
 * client applies what it kept, and all clients plus a fresh verifier (the server's state) must
 * agree. Every delivery a client should have received and did not is counted as an error.
 */
export interface FanoutShape {
  docs: number;
  clientsPerDoc: number;
  editsPerSecond: number;
  /** Paragraphs seeded per document; client i types into paragraph i mod this. */
  paragraphs: number;
}

export interface FanoutResult {
  window: WindowResult;
  deliveries: number;
  editsSent: number;
  updateBytesSent: number;
  lost: number;
  converged: boolean;
  metrics: Record<string, MetricValue>;
}

/** The metrics every fan-out workload reports (targets are added by the workload). */
export function fanoutMetricSpecs(targets: { p99?: MetricSpec['target']; cpu?: MetricSpec['target'] } = {}): MetricSpec[] {
  return [
    { key: 'p50Ms', label: 'fan-out latency p50', unit: 'ms', better: 'lower', digits: 2 },
    { key: 'p95Ms', label: 'fan-out latency p95', unit: 'ms', better: 'lower', digits: 2 },
    { key: 'p99Ms', label: 'fan-out latency p99', unit: 'ms', better: 'lower', digits: 2, ...(targets.p99 ? { target: targets.p99 } : {}) },
    { key: 'maxMs', label: 'fan-out latency max', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'deliveriesPerS', label: 'deliveries/s', unit: '/s', better: 'higher', digits: 0 },
    {
      key: 'cpuPer1kDeliveries',
      label: 'server CPU per 1,000 deliveries',
      unit: 'ms',
      better: 'lower',
      digits: 2,
      ...(targets.cpu ? { target: targets.cpu } : {}),
    },
    // Where the CPU goes: the event loop (JavaScript and the socket writes it makes) or helper
    // threads (V8's GC helpers, libuv's pool: Roundtable's journal writes and syncs).
    { key: 'mainCpuPer1kDeliveries', label: '… of which on the main thread', unit: 'ms', better: 'lower', digits: 2 },
    { key: 'serverCpuCores', label: 'server CPU', unit: 'cores', better: 'lower', digits: 3 },
    { key: 'peakRssMB', label: 'peak RSS in the window', unit: 'MB', better: 'lower', digits: 1 },
  ];
}

export async function runFanout(
  ctx: WorkloadContext,
  shape: FanoutShape,
  options: { warmupS: number; durationS: number; seed?: number; targets?: DocTarget[] },
): Promise<FanoutResult> {
  const { ctl, recorder, errors } = ctx;
  const targets = options.targets ?? (await ctl.docs(shape.docs));
  const groups: Session[][] = targets.map(() => []);
  const all: Session[] = [];
  const make = (doc: number, client: number): Session => {
    const session = new Session({ target: targets[doc]!, tag: doc * shape.clientsPerDoc + client + 1, recorder, errors });
    groups[doc]!.push(session);
    all.push(session);
    return session;
  };
  const tryConnect = async (session: Session): Promise<boolean> => {
    try {
      await session.connect();
      return true;
    } catch (error) {
      errors.add(`connect failed: ${String(error)}`);
      return false;
    }
  };

  try {
    // 1. Seeds: one client per document creates the paragraphs everyone will type into.
    await mapLimit(targets, 10, async (_target, doc) => {
      const seed = make(doc, 0);
      if (!(await tryConnect(seed))) return;
      seed.change(() => appendParagraphs(seed.doc, shape.paragraphs, (i) => `Paragraph ${i + 1}: `));
      await seed.roundTrip().catch((error: unknown) => errors.add(`seed round trip: ${String(error)}`));
    });
    // 2. Everyone else joins and syncs.
    const joins: Array<[number, number]> = [];
    for (let doc = 0; doc < targets.length; doc++) for (let c = 1; c < shape.clientsPerDoc; c++) joins.push([doc, c]);
    await mapLimit(joins, 50, ([doc, c]) => tryConnect(make(doc, c)));

    // 3. Each client types into its paragraph.
    const random = prng(options.seed ?? 42);
    const actors: PacedActor[] = [];
    const sentByDoc = targets.map(() => 0);
    let editsSent = 0;
    for (let doc = 0; doc < groups.length; doc++) {
      const group = groups[doc]!;
      for (let c = 0; c < group.length; c++) {
        const session = group[c]!;
        if (!session.synced) continue;
        const texts = lastParagraphTexts(session.doc, shape.paragraphs);
        const text = texts[c % Math.max(1, texts.length)];
        if (!text) {
          errors.add(`client ${session.tag} has no paragraph to type into`);
          continue;
        }
        session.mode = 'deferred';
        actors.push({
          periodMs: 1000 / shape.editsPerSecond,
          act: () => {
            if (session.closed) return;
            session.edit(text, marker(session.tag, nowUs()));
            sentByDoc[doc]!++;
            editsSent++;
          },
        });
      }
    }
    const connectedByDoc = groups.map((group) => group.filter((s) => s.synced).length);
    const expected = (): number => sentByDoc.reduce((sum, sent, doc) => sum + sent * Math.max(0, connectedByDoc[doc]! - 1), 0);

    // 4. Warm-up, then the measured window.
    recorder.reset();
    recorder.totalDeliveries = 0;
    const pacer = startPacer(actors, random);
    let window: WindowResult;
    let sentInWindow: number;
    let bytesInWindow: number;
    const bytesSent = (): number => all.reduce((sum, s) => sum + s.updateBytesSent, 0);
    try {
      await sleep(options.warmupS * 1000);
      const measured = new MeasuredWindow(ctl);
      recorder.reset();
      recorder.recording = true;
      await measured.begin();
      const sent0 = editsSent;
      const bytes0 = bytesSent();
      await sleep(options.durationS * 1000);
      recorder.recording = false;
      window = await measured.end();
      sentInWindow = editsSent - sent0;
      bytesInWindow = bytesSent() - bytes0;
    } finally {
      pacer.stop();
    }

    // 5. Drain: every edit must reach every other client of its document.
    await waitUntil(() => recorder.totalDeliveries >= expected(), 10_000, 50);
    const lost = Math.max(0, expected() - recorder.totalDeliveries);
    if (lost > 0) errors.add(`${lost} of ${expected()} deliveries never arrived`);

    // 6. Convergence: clients apply what they kept, then compare with each other and the server.
    let converged = true;
    await mapLimit(groups, 4, async (group, doc) => {
      const keys = new Set<string>();
      for (const session of group) {
        if (!session.synced) continue;
        session.flushDeferred();
        keys.add(stateKey(session.doc));
      }
      const verifier = new Session({ target: targets[doc]!, tag: 999_999, recorder, errors });
      if (await tryConnect(verifier)) keys.add(stateKey(verifier.doc));
      else converged = false;
      await verifier.close();
      verifier.destroy();
      if (keys.size !== 1) converged = false;
    });

    const deliveries = recorder.deliveries;
    const latency = recorder.latency;
    const ms = (us: number | null): number | null => (us === null ? null : us / 1000);
    return {
      window,
      deliveries,
      editsSent: sentInWindow,
      updateBytesSent: bytesInWindow,
      lost,
      converged,
      metrics: {
        p50Ms: round(ms(latency.percentile(50)), 3),
        p95Ms: round(ms(latency.percentile(95)), 3),
        p99Ms: round(ms(latency.percentile(99)), 3),
        maxMs: round(ms(latency.count ? latency.max : null), 3),
        deliveriesPerS: round(deliveries / window.seconds, 1),
        cpuPer1kDeliveries: deliveries > 0 ? round((window.serverCpuSeconds / deliveries) * 1000 * 1000, 4) : null,
        mainCpuPer1kDeliveries: deliveries > 0 ? round((window.serverMainThreadCpuSeconds / deliveries) * 1000 * 1000, 4) : null,
        serverCpuCores: round(window.serverCpuSeconds / window.seconds, 4),
        peakRssMB: round(window.end.hwmBytes / 1024 / 1024, 1),
        editsPerS: round(sentInWindow / window.seconds, 1),
        echoesPerS: round(recorder.echoes / window.seconds, 1),
      },
    };
  } finally {
    await Promise.all(all.map((s) => s.close()));
    for (const s of all) s.destroy();
  }
}

/**
 * A typing workload held to the fan-out targets (p99 ≤ 1.0×, CPU per delivery ≤ 0.7×
 * the best baseline); many-docs and hot-doc differ only in their shape.
 */
export function fanoutWorkload(name: string, title: string, shape: string, load: FanoutShape): WorkloadDescriptor {
  return {
    name,
    title,
    shape,
    servers: SERVER_NAMES,
    metrics: fanoutMetricSpecs({
      p99: { maxRatio: 1.0, text: '≤ 1.0× best' },
      cpu: { maxRatio: 0.7, text: '≤ 0.7× best' },
    }),
    async run(ctx) {
      const { settings } = ctx;
      const result = await runFanout(ctx, load, { warmupS: settings.warmupS, durationS: settings.durationS });
      return { metrics: result.metrics, loadgenCpu: result.window.loadgenCpu, converged: result.converged };
    },
  };
}
