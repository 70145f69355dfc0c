import type { ErrorLog, Recorder } from '../loadgen/session.js';
import type { ServerControl } from '../loadgen/control.js';
import type { BenchSettings, MetricValue, ServerName } from '../types.js';

/** How a metric is shown in the table and judged against the targets. */
export interface MetricSpec {
  key: string;
  label: string;
  unit: string;
  /** Which direction is better; the "best baseline" is the better of the two baselines. */
  better: 'lower' | 'higher';
  /** Decimal places in the table. */
  digits: number;
  /**
   * Target from issue 5: Roundtable ÷ best baseline at most `maxRatio`, and/or Roundtable's own
   * value at most `maxValue` (same unit). `against` compares with the best baseline of another
   * metric of the same workload (cold load from disk vs the baselines' from memory). `text` is
   * what the table prints.
   */
  target?: { maxRatio?: number; maxValue?: number; against?: string; text: string };
  /** Shown only in the JSON, not in the table (diagnostics). */
  hidden?: boolean;
}

/** What a workload body gets inside the load-generator process. */
export interface WorkloadContext {
  server: ServerName;
  settings: BenchSettings;
  ctl: ServerControl;
  recorder: Recorder;
  errors: ErrorLog;
  cacheDir: string;
  notes: string[];
}

export interface WorkloadOutput {
  metrics: Record<string, MetricValue>;
  /** Load-generator CPU over the measured window(s), fraction of one core (max over windows). */
  loadgenCpu: number;
  converged: boolean | null;
}

export interface WorkloadDescriptor {
  name: string;
  title: string;
  /** One-line description of the load, printed above the table. */
  shape: string;
  /** Servers this workload runs against (persistence: Roundtable, plus y-websocket as "off"). */
  servers: readonly ServerName[];
  metrics: readonly MetricSpec[];
  run(ctx: WorkloadContext): Promise<WorkloadOutput>;
}
