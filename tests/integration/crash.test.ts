import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerProcess } from '../helpers/serverProcess.js';
import { runCrashTest } from '../crash/crashDriver.js';

/**
 * The crash test (docs/RELIABILITY.md, REL-1..REL-4). `npm test` runs a short version; the full
 * run is `npm run test:crash` (CRASH_CYCLES=200). Reproduce a failure with CRASH_SEED=<seed>.
 */
const CYCLES = Number(process.env.CRASH_CYCLES ?? 15);
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('crash and restart (REL)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await ServerProcess.start();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it(
    `REL-1..4: SIGKILL at random moments loses no acknowledged edit, duplicates nothing, and clients converge (seed ${SEED}, ${CYCLES} cycles)`,
    async () => {
      const started = Date.now();
      const report = await runCrashTest({
        server,
        seed: SEED,
        cycles: CYCLES,
        progress: CYCLES > 50 ? (line) => console.log(line) : undefined,
      });
      console.log(
        `crash test: seed ${SEED}, ${report.cyclesDone} kill cycles, ${report.edits} edits, ${report.acks} acks, ${report.compactions} compactions, ` +
          `${Math.round((Date.now() - started) / 1000)} s (${Math.round(report.restartSeconds)} s of it restarting the server)`,
      );
      expect(report.problems, `reproduce with CRASH_SEED=${SEED} CRASH_CYCLES=${CYCLES}:\n${report.problems.join('\n')}`).toEqual([]);
      expect(report.cyclesDone).toBe(CYCLES);
    },
    // Bounds a hang, not speed: a cycle is one restart of the server (well under 2 s each).
    60_000 + CYCLES * 5_000,
  );
});
