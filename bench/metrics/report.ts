import type { BenchSettings, ServerName, WorkloadRun } from '../types.js';
import type { WorkloadDescriptor } from '../workloads/types.js';
import { summarize, type HealthRow, type SummaryRow } from './summary.js';
import { healthTable, resultsTable } from './table.js';

/** Everything the report needs; also what the results JSON keeps in `meta` (for --render). */
export interface ReportMeta {
  date: string;
  commit: string | null;
  node: string;
  cpus: number;
  cpuModel: string | null;
  totalSeconds: number;
  settings: BenchSettings;
  servers: ServerName[];
  only: string[] | null;
  unavailable: Record<string, string>;
  /** Which Roundtable build ran (absent in results written before this field existed). */
  roundtableBuild?: { source: string; builtAt: string } | null;
}

export interface Report {
  rows: SummaryRow[];
  health: HealthRow[];
  /** Markdown: header, results table, run-health table. */
  markdown: string;
}

export function buildReport(runs: readonly WorkloadRun[], workloads: readonly WorkloadDescriptor[], meta: ReportMeta): Report {
  const present = workloads.filter((w) => runs.some((r) => r.workload === w.name));
  const { rows, health } = summarize(runs, present);
  const { settings } = meta;
  const unavailable = Object.entries(meta.unavailable);
  const header = [
    `Measured ${meta.date.slice(0, 16).replace('T', ' ')} UTC${meta.commit ? ` at ${meta.commit}` : ''} · ${meta.cpus} × ${meta.cpuModel?.trim() ?? 'unknown CPU'} · Node ${meta.node} · ` +
      `${settings.quick ? 'quick smoke run' : 'full run'}: medians of ${settings.reps} repetition(s), ${settings.durationS} s windows after ${settings.warmupS} s warm-up, ${meta.totalSeconds} s in total.` +
      (meta.roundtableBuild ? ` Roundtable build of ${meta.roundtableBuild.builtAt.slice(0, 16).replace('T', ' ')} UTC.` : ''),
    '',
    present.map((w) => `- **${w.title}** (\`${w.name}\`): ${w.shape}`).join('\n'),
    '',
    '† = only invalid runs (generator saturated or run failed); — = not applicable or not measured.' +
      (unavailable.length ? ` Not run: ${unavailable.map(([s, m]) => `${s} (${m})`).join('; ')}.` : ''),
  ].join('\n');
  const markdown = `${header}\n\n${resultsTable(rows, present, meta.servers)}\n\n**Run health**\n\n${healthTable(health)}\n`;
  return { rows, health, markdown };
}
