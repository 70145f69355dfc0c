import { SERVER_NAMES, type ServerName } from '../types.js';
import type { WorkloadDescriptor } from '../workloads/types.js';
import type { HealthRow, SummaryRow } from './summary.js';

/** Markdown tables of a summary (the same text goes to the terminal and docs/PERFORMANCE.md). */

const DISPLAY: Record<ServerName, string> = { roundtable: 'Roundtable', 'y-websocket': 'y-websocket', hocuspocus: 'Hocuspocus' };

export function formatNumber(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function resultsTable(rows: readonly SummaryRow[], workloads: readonly WorkloadDescriptor[], servers: readonly ServerName[] = SERVER_NAMES): string {
  const shown = SERVER_NAMES.filter((s) => servers.includes(s));
  const header = ['Workload', 'Metric', ...shown.map((s) => DISPLAY[s]), 'Roundtable ÷ best baseline', 'Target', 'Met'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`];
  let previous = '';
  for (const row of rows) {
    if (row.spec.hidden) continue;
    const title = workloads.find((w) => w.name === row.workload)?.title ?? row.workload;
    const values = shown.map((server) => {
      const text = formatNumber(row.values[server], row.spec.digits);
      return row.fromInvalid[server] && text !== '—' ? `${text}†` : text;
    });
    const ratio = row.ratio === null ? '—' : `${formatNumber(row.ratio, 2)}× (vs ${DISPLAY[row.best!.server]})`;
    const met = row.met === null ? '' : row.met ? 'yes' : '**no**';
    const unit = row.spec.unit ? ` (${row.spec.unit})` : '';
    lines.push(
      `| ${cell(row.workload === previous ? '' : title)} | ${cell(row.spec.label + unit)} | ${values.join(' | ')} | ${ratio} | ${cell(row.spec.target?.text ?? '')} | ${met} |`,
    );
    previous = row.workload;
  }
  return lines.join('\n');
}

export function healthTable(rows: readonly HealthRow[]): string {
  const lines = [
    '| Workload | Server | valid runs | generator CPU (max, of one core) | errors | converged | p99 over the runs (ms) | notes |',
    '| --- | --- | ---: | ---: | ---: | --- | ---: | --- |',
  ];
  for (const row of rows) {
    const converged = row.converged === null ? '—' : row.converged ? 'yes' : '**no**';
    const range = row.p99Range ? (row.p99Range[0] === row.p99Range[1] ? formatNumber(row.p99Range[0], 1) : `${formatNumber(row.p99Range[0], 1)}–${formatNumber(row.p99Range[1], 1)}`) : '—';
    lines.push(
      `| ${row.workload} | ${DISPLAY[row.server]} | ${row.validReps}/${row.reps} | ${Math.round(row.loadgenCpuMax * 100)}% | ${row.errors} | ${converged} | ${range} | ${cell(row.notes.join('; ').slice(0, 160))} |`,
    );
  }
  return lines.join('\n');
}
