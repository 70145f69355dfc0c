import { appendParagraphs, caretState, encodeAwarenessState, lastParagraphTexts } from '../loadgen/content.js';
import { Session, nowUs } from '../loadgen/session.js';
import { MeasuredWindow, mapLimit, prng, round, sleep, startPacer, type PacedActor, type WindowResult } from '../loadgen/util.js';
import { SERVER_NAMES } from '../types.js';
import type { WorkloadDescriptor } from './types.js';

const CLIENTS = 100;
const RATE = 5;
const PARAGRAPHS = 10;

/**
 * Workload 7: cursor moves only. 100 clients in one document each publish a Tiptap-style caret
 * (user + anchor/head relative positions) 5 times a second. No document edits: what is measured
 * is how the server relays awareness, where other Yjs servers re-encode every state per peer.
 */
export const presence: WorkloadDescriptor = {
  name: 'presence',
  title: 'Presence',
  shape: '1 document × 100 clients × 5 cursor moves/s (500 awareness updates/s in, ~49,500 deliveries/s out)',
  servers: SERVER_NAMES,
  metrics: [
    { key: 'serverCpuCores', label: 'server CPU', unit: 'cores', better: 'lower', digits: 3, target: { maxRatio: 0.5, text: '≤ 0.5× best' } },
    { key: 'cpuPer1kDeliveries', label: 'server CPU per 1,000 deliveries', unit: 'ms', better: 'lower', digits: 2 },
    { key: 'deliveriesPerS', label: 'awareness deliveries/s', unit: '/s', better: 'higher', digits: 0 },
    { key: 'p50Ms', label: 'awareness latency p50', unit: 'ms', better: 'lower', digits: 2 },
    { key: 'p99Ms', label: 'awareness latency p99', unit: 'ms', better: 'lower', digits: 2 },
    { key: 'peakRssMB', label: 'peak RSS in the window', unit: 'MB', better: 'lower', digits: 1 },
    { key: 'deliveredShare', label: 'share of awareness updates delivered', unit: '', better: 'higher', digits: 3, hidden: true },
  ],
  async run(ctx) {
    const { ctl, recorder, errors, settings } = ctx;
    const [target] = await ctl.docs(1);
    const sessions: Session[] = [];
    try {
      const seed = new Session({ target: target!, tag: 1, recorder, errors });
      sessions.push(seed);
      await seed.connect();
      seed.change(() => appendParagraphs(seed.doc, PARAGRAPHS, (i) => `Paragraph ${i + 1} with some text to put a cursor in. `));
      await seed.roundTrip();
      const others = Array.from({ length: CLIENTS - 1 }, (_, i) => new Session({ target: target!, tag: i + 2, recorder, errors }));
      sessions.push(...others);
      await mapLimit(others, 50, (s) => s.connect().catch((error: unknown) => errors.add(`connect failed: ${String(error)}`)));

      const random = prng(7);
      let sent = 0;
      const actors: PacedActor[] = [];
      sessions.forEach((session, c) => {
        const text = lastParagraphTexts(session.doc, PARAGRAPHS)[c % PARAGRAPHS];
        if (!session.synced || !text) return;
        let clock = 0;
        let index = Math.floor(random() * text.length);
        actors.push({
          periodMs: 1000 / RATE,
          act: () => {
            if (session.closed) return;
            index = (index + 1) % (text.length + 1);
            clock++;
            session.sendAwareness(encodeAwarenessState(session.doc.clientID, clock, caretState(session.tag, text, index, nowUs(), target!.identity)));
            sent++;
          },
        });
      });

      recorder.reset();
      const pacer = startPacer(actors, random);
      let window: WindowResult;
      let sentInWindow = 0;
      try {
        await sleep(settings.warmupS * 1000);
        const measured = new MeasuredWindow(ctl);
        recorder.reset();
        recorder.recording = true;
        await measured.begin();
        const sent0 = sent;
        await sleep(settings.durationS * 1000);
        recorder.recording = false;
        window = await measured.end();
        sentInWindow = sent - sent0;
      } finally {
        pacer.stop();
      }
      const deliveries = recorder.deliveries;
      const ms = (us: number | null): number | null => (us === null ? null : us / 1000);
      const possible = sentInWindow * (actors.length - 1);
      if (possible > 0 && deliveries < possible * 0.9) {
        ctx.notes.push(`only ${Math.round((100 * deliveries) / possible)}% of awareness updates reached the other clients within the window (server saturated or coalescing)`);
      }
      return {
        loadgenCpu: window.loadgenCpu,
        converged: null,
        metrics: {
          serverCpuCores: round(window.serverCpuSeconds / window.seconds, 4),
          cpuPer1kDeliveries: deliveries > 0 ? round((window.serverCpuSeconds / deliveries) * 1e6, 4) : null,
          deliveriesPerS: round(deliveries / window.seconds, 1),
          p50Ms: round(ms(recorder.latency.percentile(50)), 3),
          p99Ms: round(ms(recorder.latency.percentile(99)), 3),
          peakRssMB: round(window.end.hwmBytes / 1024 / 1024, 1),
          deliveredShare: possible > 0 ? round(deliveries / possible, 3) : null,
          awarenessInPerS: round(sentInWindow / window.seconds, 1),
        },
      };
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
      for (const s of sessions) s.destroy();
    }
  },
};
