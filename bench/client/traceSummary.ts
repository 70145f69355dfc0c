import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../servers/nodeArgs.js';
import { KEYSTROKE_MEASURE } from './keystrokeProbe.js';
import { readSourceMap, type SourceMapLookup } from './sourceMap.js';

/**
 * Attribution of keystroke-to-paint from a trace of `npm run bench:client`
 * (`BENCH_CLIENT_TRACE=file`): `node dist/bench/bench/client/traceSummary.js <trace.json> [clientDir]`.
 *
 * For the page's main thread, inside each keystroke's span (the `keystroke-to-paint` User
 * Timing measure, key event → painted frame) it adds up
 *   - the tasks that ran, by what started them (the key event itself, a WebSocket message, a
 *     timer, an idle callback, the frame's rendering…), and the idle time between them;
 *   - exclusive time by trace event (style, layout, paint, GC, script…);
 *   - V8 CPU samples by where the running function comes from (package or client source file,
 *     via dist/client's source maps), self time and inclusive time.
 * Every figure is reported per keystroke, for all keystrokes and for those over one frame.
 */

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  id2?: { local?: string; global?: string };
  args?: Record<string, unknown> & { data?: Record<string, unknown>; name?: string };
}

interface Window {
  start: number;
  end: number;
  long: boolean;
}

const FRAME_US = 16_700;

const file = process.argv[2];
if (!file) throw new Error('usage: traceSummary <trace.json> [clientDir]');
const clientDir = process.argv[3] ?? path.join(REPO_ROOT, 'dist', 'client');
const parsed = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;

// The page's main thread: the CrRendererMain with the keystroke measures.
const measures = events.filter((e) => e.name === KEYSTROKE_MEASURE && (e.cat ?? '').includes('user_timing'));
if (measures.length === 0) throw new Error('no keystroke measures in the trace');
const pid = measures[0]!.pid;
const mainTid = measures[0]!.tid;

const windows: Window[] = [];
{
  const open = new Map<string, number>();
  for (const e of measures) {
    const key = e.id2?.local ?? e.id2?.global ?? e.id ?? '';
    if (e.ph === 'b') open.set(key, e.ts);
    else if (e.ph === 'e' && open.has(key)) {
      const start = open.get(key)!;
      open.delete(key);
      windows.push({ start, end: e.ts, long: e.ts - start > FRAME_US });
    }
  }
  windows.sort((a, b) => a.start - b.start);
}

/** Adds `amount` to `bucket` of every window group (all, long) that `[start, end)` overlaps. */
class Tally {
  readonly all = new Map<string, number>();
  readonly long = new Map<string, number>();
  /** @param weight the share of wall time to count, e.g. CPU time ÷ wall time of a task. */
  add(bucket: string, start: number, end: number, weight = 1): void {
    // Windows are sorted and short; a binary search finds the first candidate.
    let lo = 0;
    let hi = windows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (windows[mid]!.end <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < windows.length && windows[i]!.start < end; i++) {
      const w = windows[i]!;
      const overlap = (Math.min(end, w.end) - Math.max(start, w.start)) * weight;
      if (overlap <= 0) continue;
      this.all.set(bucket, (this.all.get(bucket) ?? 0) + overlap);
      if (w.long) this.long.set(bucket, (this.long.get(bucket) ?? 0) + overlap);
    }
  }
}

// ---- tasks and exclusive time on the main thread ----

const mainEvents = events
  .filter((e) => e.pid === pid && e.tid === mainTid && e.ph === 'X' && typeof e.dur === 'number')
  .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));

const tasks = new Tally();
/** The same in thread CPU time (`tdur`): what the page did, without the time it was descheduled. */
const tasksCpu = new Tally();
let mainCpuUs = 0;
/** CPU time of every task during the typing, spans or not, by what started it. */
const periodCpu = new Map<string, number>();
/** Every task on the main thread: start, end, kind; sorted by start. */
const allTasks: Array<[number, number, string]> = [];
const exclusive = new Tally();

/** What a task is for, from the events inside it. */
function taskKind(children: TraceEvent[]): string {
  const has = (...names: string[]): boolean => children.some((c) => names.includes(c.name));
  // A frame: rAF callbacks, style, layout, paint and commit run in it.
  if (has('BeginMainThreadFrame', 'AnimationFrame', 'Commit', 'Layerize', 'PrePaint')) return 'frame rendering';
  for (const e of children) {
    if (e.name === 'EventDispatch') return `event: ${String(e.args?.data?.['type'] ?? '?')}`;
    if (e.name === 'TimerFire') return 'timer';
    if (e.name === 'FireIdleCallback') return 'idle callback';
  }
  if (has('FunctionCall')) {
    // WebSocket messages reach the page as mojo messages with no event of their own.
    return has('SimpleWatcher::OnHandleReady', 'Receive mojo message', 'WebSocketReceive') ? 'message (WebSocket, IPC)' : 'script (other)';
  }
  if (has('Layout', 'UpdateLayoutTree', 'Paint', 'PrePaint')) return 'rendering (outside a frame)';
  if (children.some((e) => e.name.startsWith('V8.GC') || e.name === 'MajorGC' || e.name === 'MinorGC')) return 'GC';
  return 'other';
}

const RENDER = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'UpdateLayer', 'HitTest', 'IntersectionObserverController::computeIntersections', 'ScrollLayer']);
const SCRIPT = new Set(['FunctionCall', 'v8.callFunction', 'EventDispatch', 'TimerFire', 'FireAnimationFrame', 'FireIdleCallback', 'RunMicrotasks', 'BlinkScheduler_PerformMicrotaskCheckpoint', 'v8.run', 'v8.evaluateModule', 'V8.HandleInterrupts', 'V8.StackGuard', 'V8.BytecodeBudgetInterrupt', 'WebSocketReceive', 'AnimationFrame::Script::Execute']);

function exclusiveName(e: TraceEvent): string {
  if (SCRIPT.has(e.name)) return 'script';
  if (RENDER.has(e.name)) return e.name;
  if (e.name.startsWith('V8.GC') || e.name === 'MinorGC' || e.name === 'MajorGC') return 'GC';
  if (e.name.startsWith('v8.') || e.name.startsWith('V8.')) return 'V8 (compile, other)';
  return `other: ${e.name}`;
}

{
  // One pass over nested complete events: tasks are the RunTask events at the top; exclusive
  // time is each event's duration minus its children's.
  const stack: Array<{ e: TraceEvent; end: number; cursor: number }> = [];
  let task: { e: TraceEvent; children: TraceEvent[] } | null = null;
  const flushTask = (): void => {
    if (!task) return;
    const kind = taskKind(task.children);
    tasks.add(kind, task.e.ts, task.e.ts + task.e.dur!);
    const cpu = (task.e as TraceEvent & { tdur?: number }).tdur;
    if (typeof cpu === 'number' && task.e.dur! > 0) {
      tasksCpu.add(kind, task.e.ts, task.e.ts + task.e.dur!, cpu / task.e.dur!);
      if (task.e.ts >= windows[0]!.start && task.e.ts < windows[windows.length - 1]!.end) {
        mainCpuUs += cpu;
        periodCpu.set(kind, (periodCpu.get(kind) ?? 0) + cpu);
      }
    }
    allTasks.push([task.e.ts, task.e.ts + task.e.dur!, kind]);
    task = null;
  };
  const pop = (until: number): void => {
    while (stack.length > 0 && stack[stack.length - 1]!.end <= until) {
      const top = stack.pop()!;
      if (top.cursor < top.end) exclusive.add(exclusiveName(top.e), top.cursor, top.end);
      const parent = stack[stack.length - 1];
      if (parent) parent.cursor = top.end;
    }
  };
  for (const e of mainEvents) {
    pop(e.ts);
    const end = e.ts + e.dur!;
    const parent = stack[stack.length - 1];
    if (parent) {
      if (e.ts > parent.cursor) exclusive.add(exclusiveName(parent.e), parent.cursor, e.ts);
      parent.cursor = end;
    }
    if (stack.length === 0) {
      flushTask();
      task = { e, children: [] };
    } else if (task) {
      task.children.push(e);
    }
    stack.push({ e, end, cursor: e.ts });
  }
  pop(Number.POSITIVE_INFINITY);
  flushTask();
}

// ---- V8 CPU samples ----

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url?: string; lineNumber?: number; columnNumber?: number; codeType?: string };
}

const maps = new Map<string, SourceMapLookup | null>();
function sourceOf(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return frame.functionName === '(garbage collector)' ? '(GC)' : frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const base = frame.url.split('?')[0]!.split('/').pop()!;
  if (!maps.has(base)) maps.set(base, readSourceMap(path.join(clientDir, 'assets', `${base}.map`)));
  const source = maps.get(base)?.sourceAt(frame.lineNumber ?? 0, frame.columnNumber ?? 0);
  if (!source) return base;
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = source.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const client = source.indexOf('client/src/');
  if (client >= 0) return source.slice(client);
  const shared = source.indexOf('shared/');
  return shared >= 0 ? source.slice(shared) : source;
}

const selfBySource = new Tally();
const inclusiveBySource = new Tally();
const selfByFunction = new Tally();
const inclusiveByFunction = new Tally();
/** Over the whole typing period: kind of task → function → µs of samples (inclusive). */
const periodByKind = new Map<string, Map<string, number>>();
const taskKindAt = (time: number): string | null => {
  let lo = 0;
  let hi = allTasks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (allTasks[mid]![1] <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo < allTasks.length && allTasks[lo]![0] <= time ? allTasks[lo]![2] : null;
};
{
  const nodes = new Map<number, ProfileNode>();
  const chunks = events.filter((e) => e.pid === pid && (e.name === 'Profile' || e.name === 'ProfileChunk')).sort((a, b) => a.ts - b.ts);
  // One profile per thread; take the one whose samples fall inside the windows (the main thread's).
  const byId = new Map<string, TraceEvent[]>();
  for (const e of chunks) {
    const id = e.id ?? '';
    byId.set(id, [...(byId.get(id) ?? []), e]);
  }
  const labels = new Map<number, { source: string; fn: string; sources: string[]; fns: string[] }>();
  const label = (id: number): { source: string; fn: string; sources: string[]; fns: string[] } => {
    const known = labels.get(id);
    if (known) return known;
    const node = nodes.get(id)!;
    const source = sourceOf(node.callFrame);
    const parent = node.parent !== undefined && nodes.has(node.parent) ? label(node.parent) : null;
    const fn = `${node.callFrame.functionName || '(anonymous)'} [${source}:${node.callFrame.lineNumber ?? 0}:${node.callFrame.columnNumber ?? 0}]`;
    const result = {
      source,
      fn,
      fns: parent ? (parent.fns.includes(fn) ? parent.fns : [...parent.fns, fn]) : [fn],
      sources: parent ? (parent.sources.includes(source) ? parent.sources : [...parent.sources, source]) : [source],
    };
    labels.set(id, result);
    return result;
  };
  for (const profile of byId.values()) {
    const head = profile.find((e) => e.name === 'Profile');
    let time = Number((head?.args?.data as { startTime?: number } | undefined)?.startTime ?? profile[0]!.ts);
    for (const e of profile) {
      if (e.name !== 'ProfileChunk') continue;
      const data = e.args?.data as { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } | undefined;
      for (const node of data?.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
      const samples = data?.cpuProfile?.samples ?? [];
      const deltas = data?.timeDeltas ?? [];
      for (let i = 0; i < samples.length; i++) {
        const previous = time;
        time += deltas[i] ?? 0;
        // A sample stands for the time since the previous one (capped: gaps are idle).
        const start = Math.max(previous, time - 2_000);
        const node = samples[i]!;
        if (!nodes.has(node)) continue;
        const l = label(node);
        if (l.source === '(idle)' || l.source === '(program)') continue;
        selfBySource.add(l.source, start, time);
        selfByFunction.add(l.fn, start, time);
        for (const s of l.sources) if (!s.startsWith('(')) inclusiveBySource.add(s, start, time);
        for (const f of l.fns) inclusiveByFunction.add(f, start, time);
        const kind = time >= windows[0]!.start && time < windows[windows.length - 1]!.end ? taskKindAt(time) : null;
        if (kind !== null) {
          const byFunction = periodByKind.get(kind) ?? new Map<string, number>();
          periodByKind.set(kind, byFunction);
          for (const f of l.fns) byFunction.set(f, (byFunction.get(f) ?? 0) + (time - start));
        }
      }
    }
  }
}

// ---- report ----

const longCount = windows.filter((w) => w.long).length;
const spans = windows.map((w) => (w.end - w.start) / 1000).sort((a, b) => a - b);
const pct = (p: number): string => spans[Math.min(spans.length - 1, Math.floor((p / 100) * spans.length))]!.toFixed(1);
process.stdout.write(
  `${windows.length} keystrokes (${longCount} over one frame): span p50 ${pct(50)} ms, p95 ${pct(95)} ms, mean ${(spans.reduce((a, b) => a + b, 0) / spans.length).toFixed(1)} ms\n`,
);

function table(title: string, tally: Tally, rows = 18): void {
  const entries = [...tally.all.entries()].sort((a, b) => b[1] - a[1]).slice(0, rows);
  process.stdout.write(`\n${title} (ms per keystroke: all · over one frame)\n`);
  for (const [bucket, us] of entries) {
    const all = us / 1000 / windows.length;
    const long = longCount > 0 ? (tally.long.get(bucket) ?? 0) / 1000 / longCount : 0;
    process.stdout.write(`  ${all.toFixed(2).padStart(7)} · ${long.toFixed(2).padStart(7)}  ${bucket}\n`);
  }
}

// Idle = the span minus every task on the main thread.
{
  let busyAll = 0;
  let busyLong = 0;
  for (const v of tasks.all.values()) busyAll += v;
  for (const v of tasks.long.values()) busyLong += v;
  const spanAll = windows.reduce((a, w) => a + (w.end - w.start), 0);
  const spanLong = windows.filter((w) => w.long).reduce((a, w) => a + (w.end - w.start), 0);
  tasks.all.set('(main thread idle)', spanAll - busyAll);
  tasks.long.set('(main thread idle)', spanLong - busyLong);
}
table('Main-thread tasks inside the span, by what started them', tasks);
table('Main-thread CPU time (thread time) inside the span, by what started the task', tasksCpu);
{
  let cpuAll = 0;
  let cpuLong = 0;
  for (const v of tasksCpu.all.values()) cpuAll += v;
  for (const v of tasksCpu.long.values()) cpuLong += v;
  const seconds = (windows[windows.length - 1]!.end - windows[0]!.start) / 1e6;
  process.stdout.write(
    `\nmain-thread CPU inside spans: ${(cpuAll / 1000 / windows.length).toFixed(2)} ms per keystroke (${longCount > 0 ? (cpuLong / 1000 / longCount).toFixed(2) : '—'} over one frame); ` +
      `whole typing period: ${(mainCpuUs / 1000 / windows.length).toFixed(2)} ms per keystroke, ${((mainCpuUs / 1e6 / seconds) * 100).toFixed(1)} % of a core\n`,
  );
  process.stdout.write('whole typing period, main-thread CPU by what started the task (ms per local keystroke):\n');
  for (const [kind, us] of [...periodCpu.entries()].sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`  ${(us / 1000 / windows.length).toFixed(2).padStart(7)}  ${kind}\n`);
  }
}
table('Exclusive time by trace event', exclusive);
table('JS self time by source', selfBySource);
table('JS inclusive time by source (a sample counts once per source on its stack)', inclusiveBySource, 25);
table('JS self time by function', selfByFunction, 30);
table('JS inclusive time by function', inclusiveByFunction, Number(process.env['TRACE_ROWS'] ?? 60));
for (const [kind, byFunction] of [...periodByKind.entries()].sort((a, b) => sum(b[1]) - sum(a[1])).slice(0, 5)) {
  process.stdout.write(`\nWhole typing period, tasks started by ${kind}: JS inclusive time by function (ms per local keystroke)\n`);
  for (const [fn, us] of [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env['TRACE_ROWS'] ?? 40))) {
    process.stdout.write(`  ${(us / 1000 / windows.length).toFixed(2).padStart(7)}  ${fn}\n`);
  }
}

function sum(map: Map<string, number>): number {
  let total = 0;
  for (const [fn, us] of map) if (fn.startsWith('(root)')) total += us;
  return total;
}
