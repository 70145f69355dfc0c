import { performance } from 'node:perf_hooks';
import type { ServerStat } from '../types.js';
import type { ServerControl } from './control.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Polls `condition` every `everyMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

/** Deterministic PRNG (mulberry32), so generated documents and schedules are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PacedActor {
  /** Milliseconds between two actions of this actor. */
  periodMs: number;
  act(): void;
}

/**
 * Drives actors at their rates from one timer: every tick, each actor whose time has come acts
 * once. Phases are spread at random so that N actors at r/s give a smooth N·r/s, not bursts.
 * An actor that fell more than a period behind (the generator was busy) skips ahead instead of
 * bursting to catch up. Returns a stop function; the caller bounds the duration.
 */
export function startPacer(actors: readonly PacedActor[], random: () => number, tickMs = 4): { stop(): void; acted(): number } {
  const start = performance.now();
  const due = actors.map((actor) => start + random() * actor.periodMs);
  let acted = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    for (let i = 0; i < actors.length; i++) {
      const actor = actors[i]!;
      if (due[i]! <= now) {
        actor.act();
        acted++;
        due[i] = due[i]! + actor.periodMs < now ? now + actor.periodMs : due[i]! + actor.periodMs;
      }
    }
  }, tickMs);
  return { stop: () => clearInterval(timer), acted: () => acted };
}

/** Start/end of a measured window: server /proc readings and the generator's own CPU. */
export class MeasuredWindow {
  private startStat!: ServerStat;
  private startCpu!: NodeJS.CpuUsage;
  private startWall = 0;
  startEpochMs = 0;
  endEpochMs = 0;

  constructor(private readonly ctl: ServerControl) {}

  /** Starts the window; the server's peak RSS is reset, so `end().end.hwmBytes` is the window's peak. */
  async begin(): Promise<void> {
    this.startStat = await this.ctl.stat({ resetPeak: true });
    this.startCpu = process.cpuUsage();
    this.startWall = performance.now();
    this.startEpochMs = performance.timeOrigin + this.startWall;
  }

  async end(): Promise<WindowResult> {
    const cpu = process.cpuUsage(this.startCpu);
    const wallMs = performance.now() - this.startWall;
    this.endEpochMs = performance.timeOrigin + performance.now();
    const stat = await this.ctl.stat();
    const seconds = wallMs / 1000;
    return {
      seconds,
      serverCpuSeconds: stat.cpuSeconds - this.startStat.cpuSeconds,
      serverMainThreadCpuSeconds: stat.mainThreadCpuSeconds - this.startStat.mainThreadCpuSeconds,
      loadgenCpu: (cpu.user + cpu.system) / 1e6 / seconds,
      start: this.startStat,
      end: stat,
      startEpochMs: this.startEpochMs,
      endEpochMs: this.endEpochMs,
    };
  }
}

export interface WindowResult {
  seconds: number;
  serverCpuSeconds: number;
  /** The part of it on the server's main thread. */
  serverMainThreadCpuSeconds: number;
  /** Fraction of one core used by the load generator over the window. */
  loadgenCpu: number;
  start: ServerStat;
  end: ServerStat;
  /** Wall-clock bounds (epoch ms), to cut `strace -ttt` output to the window. */
  startEpochMs: number;
  endEpochMs: number;
}

export const MB = 1024 * 1024;

/** Rounds to `digits` decimals, keeping null. */
export function round(value: number | null | undefined, digits = 3): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
