import { describe, expect, it } from 'vitest';
import { SERVER_NAMES, type WorkloadRun } from '../types.js';
import type { WorkloadDescriptor } from '../workloads/types.js';
import { END_MARKER, START_MARKER, replaceBetweenMarkers } from './docsWriter.js';
import { Histogram, median, medianOf, percentile } from './percentiles.js';
import { parseProcIo, parseProcStat, parseProcStatus } from './procStat.js';
import { countStrace } from './straceCounts.js';
import { summarize } from './summary.js';

describe('percentiles', () => {
  it('BENCH-1: nearest-rank percentiles and medians', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 100)).toBe(5);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([], 50)).toBeNull();
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(medianOf([null, 3, undefined, 1, Number.NaN])).toBe(2);
    expect(medianOf([null])).toBeNull();
  });

  it('BENCH-2: the histogram reports percentiles within 2% and the exact max', () => {
    const h = new Histogram();
    for (let i = 1; i <= 10_000; i++) h.record(i);
    for (const p of [50, 95, 99]) {
      const exact = (p / 100) * 10_000;
      const got = h.percentile(p)!;
      expect(got).toBeGreaterThanOrEqual(exact);
      expect(got / exact).toBeLessThan(1.021);
    }
    expect(h.percentile(100)).toBe(10_000);
    expect(h.max).toBe(10_000);
    expect(h.count).toBe(10_000);
    const other = new Histogram();
    other.record(50_000);
    h.merge(other);
    expect(h.max).toBe(50_000);
    h.reset();
    expect(h.percentile(50)).toBeNull();
  });
});

describe('/proc parsing', () => {
  it('BENCH-3: utime/stime are read after the last parenthesis of the command name', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[14 - 3] = '1234';
    fields[15 - 3] = '56';
    const text = `4242 (node (weird) name) ${fields.join(' ')}\n`;
    expect(parseProcStat(text)).toEqual({ utime: 1234, stime: 56 });
    expect(() => parseProcStat('garbage')).toThrow();
  });

  it('BENCH-4: status lines in kB become bytes; io lines become numbers', () => {
    const status = parseProcStatus('Name:\tnode\nVmHWM:\t  81234 kB\nVmRSS:\t   70000 kB\nThreads:\t11\n');
    expect(status['VmHWM']).toBe(81234 * 1024);
    expect(status['VmRSS']).toBe(70000 * 1024);
    expect(status['Threads']).toBeUndefined();
    expect(parseProcIo('rchar: 10\nwchar: 20\nwrite_bytes: 4096\n')['write_bytes']).toBe(4096);
  });
});

describe('strace counting', () => {
  it('BENCH-5: counts fsyncs and data-dir writes in the window, joining unfinished/resumed calls', () => {
    const text = [
      '100 1000.000100 write(21</data/docs/a/log-0>, ""..., 57) = 57',
      '100 1000.000200 write(23<TCP:[127.0.0.1:1->127.0.0.1:2]>, ""..., 12) = 12',
      '101 1000.000300 pwrite64(22</data/docs/b/log-0>, ""..., 40, 0 <unfinished ...>',
      '100 1000.000400 fsync(21</data/docs/a/log-0>) = 0',
      '101 1000.000500 <... pwrite64 resumed>) = 40',
      '102 1000.000600 writev(24</data/meta.json.tmp>, [...], 2) = 300',
      '102 1000.000700 write(25</elsewhere/file>, ""..., 9) = 9',
      '102 1000.000800 write(21</data/docs/a/log-0>, ""..., 9) = -1 EAGAIN (Resource temporarily unavailable)',
      '103 1005.000000 fdatasync(26</data/docs/c/log-0>) = 0',
    ].join('\n');
    expect(countStrace(text, { dataDir: '/data', fromSec: 999, toSec: 1001 })).toEqual({ fsyncs: 1, fileWriteBytes: 397, fileWrites: 3, syncWrites: 0 });
    expect(countStrace(text, { dataDir: '/data/', fromSec: 1004, toSec: 1006 })).toEqual({ fsyncs: 1, fileWriteBytes: 0, fileWrites: 0, syncWrites: 0 });
  });

  it('BENCH-5: writes through descriptors opened with O_DSYNC count as syncs, opened before or during the window', () => {
    const text = [
      '100 900.000000 openat(AT_FDCWD</srv>, "/data/docs/a/0.log", O_RDWR|O_DSYNC|O_CLOEXEC) = 21</data/docs/a/0.log>',
      '101 900.000100 openat(AT_FDCWD</srv>, "/data/meta.json.tmp", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600 <unfinished ...>',
      '101 900.000200 <... openat resumed>) = 22</data/meta.json.tmp>',
      '100 1000.000100 pwritev(21</data/docs/a/0.log>, [...], 2, 16) = 57',
      '101 1000.000200 write(22</data/meta.json.tmp>, ""..., 90) = 90',
      '102 1000.000300 openat(AT_FDCWD</srv>, "/data/docs/b/1.log", O_WRONLY|O_CREAT|O_EXCL|O_DSYNC|O_CLOEXEC, 0666 <unfinished ...>',
      '102 1000.000400 <... openat resumed>) = 23</data/docs/b/1.log>',
      '102 1000.000500 pwritev(23</data/docs/b/1.log>, [...], 3, 0 <unfinished ...>',
      '102 1000.000600 <... pwritev resumed>) = 40',
      // fd 21 reused for a plain file: no longer a sync
      '100 1000.000700 openat(AT_FDCWD</srv>, "/data/docs/a/0.snap.tmp", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 21</data/docs/a/0.snap.tmp>',
      '100 1000.000800 write(21</data/docs/a/0.snap.tmp>, ""..., 10) = 10',
    ].join('\n');
    expect(countStrace(text, { dataDir: '/data', fromSec: 999, toSec: 1001 })).toEqual({ fsyncs: 0, fileWriteBytes: 197, fileWrites: 4, syncWrites: 2 });
  });
});

describe('docs writer', () => {
  it('BENCH-6: replaces only what is between the markers and keeps the prose', () => {
    const doc = `# Perf\n\nintro\n\n${START_MARKER}\nold table\n${END_MARKER}\n\nanalysis\n`;
    const next = replaceBetweenMarkers(doc, 'new table');
    expect(next).toBe(`# Perf\n\nintro\n\n${START_MARKER}\nnew table\n${END_MARKER}\n\nanalysis\n`);
    expect(replaceBetweenMarkers(next, 'x')).toContain('analysis');
    const appended = replaceBetweenMarkers('# Perf\n', 'table');
    expect(appended).toContain(`${START_MARKER}\ntable\n${END_MARKER}`);
  });
});

describe('summary', () => {
  const workload: WorkloadDescriptor = {
    name: 'w',
    title: 'W',
    shape: '',
    servers: SERVER_NAMES,
    metrics: [
      { key: 'lat', label: 'latency', unit: 'ms', better: 'lower', digits: 1, target: { maxRatio: 1, text: '≤ 1×' } },
      { key: 'disk', label: 'disk', unit: 'ms', better: 'lower', digits: 1, target: { maxRatio: 2, against: 'lat', text: '≤ 2×' } },
    ],
    run: () => Promise.reject(new Error('not run')),
  };
  const run = (server: WorkloadRun['server'], rep: number, lat: number, valid = true, disk: number | null = null): WorkloadRun => ({
    workload: 'w',
    server,
    rep,
    valid,
    invalidReasons: valid ? [] : ['saturated'],
    loadgenCpu: 0.5,
    metrics: { lat, disk },
    errors: 0,
    converged: true,
    notes: [],
    wallSeconds: 1,
  });

  it('BENCH-7: medians over valid runs, ratio to the better baseline, target check', () => {
    const { rows, health } = summarize(
      [run('roundtable', 0, 4, true, 9), run('roundtable', 1, 6, true, 11), run('roundtable', 2, 100, false, 1), run('y-websocket', 0, 8), run('y-websocket', 1, 12), run('hocuspocus', 0, 5), run('hocuspocus', 1, 7)],
      [workload],
    );
    const lat = rows.find((r) => r.spec.key === 'lat')!;
    expect(lat.values).toEqual({ roundtable: 5, 'y-websocket': 10, hocuspocus: 6 });
    expect(lat.best).toEqual({ server: 'hocuspocus', value: 6 });
    expect(lat.ratio).toBeCloseTo(5 / 6);
    expect(lat.met).toBe(true);
    const disk = rows.find((r) => r.spec.key === 'disk')!;
    expect(disk.values.roundtable).toBe(10);
    expect(disk.ratio).toBeCloseTo(10 / 6);
    expect(disk.met).toBe(true);
    expect(health.find((h) => h.server === 'roundtable')).toMatchObject({ reps: 3, validReps: 2 });
  });
});
