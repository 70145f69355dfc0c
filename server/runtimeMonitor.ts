import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import type { ConnectionStats } from './collab/connectionStats.js';

/** What `GET /api/admin/runtime` answers (docs/OPERATIONS.md). */
export interface RuntimeReport {
  /**
   * The longest the event loop was late since the server started listening, in milliseconds.
   * Sampled every 10 ms, so it includes up to 10 ms of the sampling interval itself.
   */
  eventLoopDelayMaxMs: number;
  /** 99th percentile of the same samples. */
  eventLoopDelayP99Ms: number;
  /** The longest garbage-collection pause since start (part of any event-loop delay). */
  gcPauseMaxMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** Open collaboration sockets, and documents loaded in memory. */
  connections: number;
  rooms: number;
  /** Totals since start of the per-socket limits at work (docs/SECURITY.md, "Limits"). */
  awarenessDropped: number;
  syncRequestsDropped: number;
  rejectedClosed: number;
  floodsClosed: number;
  slowReadersClosed: number;
  uptimeSeconds: number;
}

export interface RuntimeSources {
  connections(): number;
  rooms(): number;
  stats(): ConnectionStats;
}

/** Sampling interval of the event-loop delay histogram. */
const RESOLUTION_MS = 10;

/**
 * Measures the event loop from inside the server (perf_hooks): a blocked loop is what a
 * hostile or oversized input would cause, and what the fuzz tests bound (FUZZ-4).
 */
export class RuntimeMonitor {
  private readonly histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly startedAt = Date.now();
  private gcPauseMaxMs = 0;
  private readonly gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.gcPauseMaxMs = Math.max(this.gcPauseMaxMs, entry.duration);
  });

  constructor(private readonly sources: RuntimeSources) {
    this.histogram.enable();
    this.gc.observe({ entryTypes: ['gc'] });
  }

  report(): RuntimeReport {
    const memory = process.memoryUsage();
    const count = this.histogram.count;
    return {
      eventLoopDelayMaxMs: count === 0 ? 0 : round(this.histogram.max / 1e6),
      eventLoopDelayP99Ms: count === 0 ? 0 : round(this.histogram.percentile(99) / 1e6),
      gcPauseMaxMs: round(this.gcPauseMaxMs),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      connections: this.sources.connections(),
      rooms: this.sources.rooms(),
      ...this.sources.stats(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }

  stop(): void {
    this.histogram.disable();
    this.gc.disconnect();
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
