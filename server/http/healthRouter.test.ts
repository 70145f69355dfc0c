import { describe, expect, it } from 'vitest';
import { call, startApi } from './apiTestKit.js';

describe('readiness', () => {
  it('HEALTH-1: GET /readyz is 200 "ready", 503 "degraded" with the storage details while writes fail, and 503 "shutting-down" once shutdown began', async () => {
    let writesOk = true;
    let shuttingDown = false;
    const h = await startApi({
      seed: false,
      health: {
        checks: () => (writesOk ? { ok: true, failingDocuments: 0 } : { ok: false, failingDocuments: 1, lastError: 'ENOSPC: no space left on device' }),
        shuttingDown: () => shuttingDown,
      },
    });
    try {
      expect(await call(h, '/readyz', {}, 'anonymous')).toMatchObject({ status: 200, body: { status: 'ready' } });
      writesOk = false;
      const degraded = await call(h, '/readyz', {}, 'anonymous');
      expect(degraded.status).toBe(503);
      expect(degraded.body).toEqual({ status: 'degraded', failingDocuments: 1, lastError: 'ENOSPC: no space left on device' });
      expect(degraded.headers.get('cache-control')).toBe('no-store');
      // Liveness and storage, not readiness: /healthz does not report a shutdown.
      shuttingDown = true;
      writesOk = true;
      expect(await call(h, '/readyz', {}, 'anonymous')).toMatchObject({ status: 503, body: { status: 'shutting-down' } });
      expect(await call(h, '/healthz', {}, 'anonymous')).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await h.close();
    }
  });
});
