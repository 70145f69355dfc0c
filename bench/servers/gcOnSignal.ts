/**
 * Preloaded into every server process the suite starts (`node --expose-gc --import <this>`):
 * SIGUSR2 runs a full garbage collection. This is how the idle-footprint workload measures RSS
 * "after GC" without touching any server's code. Nothing else changes in the process.
 */
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
});
