import { BASELINES, SERVER_NAMES, type ServerName, type WorkloadRun } from '../types.js';
import type { MetricSpec, WorkloadDescriptor } from '../workloads/types.js';
import { medianOf } from './percentiles.js';

/**
 * Repetitions -> one number per workload × metric × server (the median over the valid runs),
 * the best baseline, Roundtable's ratio to it and whether the target is met.
 */
export interface SummaryRow {
  workload: string;
  spec: MetricSpec;
  values: Partial<Record<ServerName, number | null>>;
  /** True when a server's value comes only from runs marked invalid. */
  fromInvalid: Partial<Record<ServerName, boolean>>;
  best: { server: ServerName; value: number } | null;
  /** Roundtable ÷ best baseline (for the target's `against` metric when given). */
  ratio: number | null;
  met: boolean | null;
}

export interface HealthRow {
  workload: string;
  server: ServerName;
  reps: number;
  validReps: number;
  loadgenCpuMax: number;
  errors: number;
  converged: boolean | null;
  /** Lowest and highest p99 latency over the repetitions (shows how noisy the tail was). */
  p99Range: [number, number] | null;
  notes: string[];
}

function bestBaseline(spec: MetricSpec, values: Partial<Record<ServerName, number | null>>): { server: ServerName; value: number } | null {
  let best: { server: ServerName; value: number } | null = null;
  for (const server of BASELINES) {
    const value = values[server];
    if (typeof value !== 'number') continue;
    if (!best || (spec.better === 'lower' ? value < best.value : value > best.value)) best = { server, value };
  }
  return best;
}

export function summarize(runs: readonly WorkloadRun[], workloads: readonly WorkloadDescriptor[]): { rows: SummaryRow[]; health: HealthRow[] } {
  const rows: SummaryRow[] = [];
  const health: HealthRow[] = [];
  for (const workload of workloads) {
    const mine = runs.filter((r) => r.workload === workload.name);
    if (mine.length === 0) continue;
    const perMetric = new Map<string, SummaryRow>();
    for (const spec of workload.metrics) {
      const values: Partial<Record<ServerName, number | null>> = {};
      const fromInvalid: Partial<Record<ServerName, boolean>> = {};
      for (const server of SERVER_NAMES) {
        const serverRuns = mine.filter((r) => r.server === server);
        if (serverRuns.length === 0) continue;
        const valid = serverRuns.filter((r) => r.valid);
        const use = valid.length > 0 ? valid : serverRuns;
        values[server] = medianOf(use.map((r) => r.metrics[spec.key]));
        fromInvalid[server] = valid.length === 0;
      }
      perMetric.set(spec.key, { workload: workload.name, spec, values, fromInvalid, best: bestBaseline(spec, values), ratio: null, met: null });
    }
    for (const row of perMetric.values()) {
      const target = row.spec.target;
      const against = target?.against ? perMetric.get(target.against) : undefined;
      const reference = against ? against.best : row.best;
      if (against) row.best = against.best;
      const mineValue = row.values.roundtable;
      row.ratio = typeof mineValue === 'number' && reference && reference.value !== 0 ? mineValue / reference.value : null;
      if (target && typeof mineValue === 'number') {
        const checks: boolean[] = [];
        if (target.maxRatio !== undefined && row.ratio !== null) checks.push(row.spec.better === 'lower' ? row.ratio <= target.maxRatio : row.ratio >= target.maxRatio);
        if (target.maxValue !== undefined) checks.push(mineValue <= target.maxValue);
        row.met = checks.length > 0 ? checks.every(Boolean) : null;
      }
      rows.push(row);
    }
    for (const server of SERVER_NAMES) {
      const serverRuns = mine.filter((r) => r.server === server);
      if (serverRuns.length === 0) continue;
      const converged = serverRuns.map((r) => r.converged).filter((c): c is boolean => c !== null);
      const p99s = serverRuns.map((r) => r.metrics['p99Ms']).filter((v): v is number => typeof v === 'number');
      health.push({
        workload: workload.name,
        server,
        reps: serverRuns.length,
        validReps: serverRuns.filter((r) => r.valid).length,
        loadgenCpuMax: Math.max(...serverRuns.map((r) => r.loadgenCpu)),
        errors: serverRuns.reduce((sum, r) => sum + r.errors, 0),
        converged: converged.length === 0 ? null : converged.every(Boolean),
        p99Range: p99s.length > 0 ? [Math.min(...p99s), Math.max(...p99s)] : null,
        notes: [...new Set(serverRuns.flatMap((r) => [...r.invalidReasons, ...r.notes]))].slice(0, 4),
      });
    }
  }
  return { rows, health };
}
