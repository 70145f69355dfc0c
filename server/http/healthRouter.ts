import { Router } from 'express';
import type { Logger } from '../logger.js';

/** What a storage (or other) health check reports; its other fields are passed on when degraded. */
export interface HealthReport {
  ok: boolean;
}

export interface HealthDeps {
  /** Wired by the composition root (e.g. the DocStore's write health); absent means healthy. */
  checks?: () => HealthReport | Promise<HealthReport>;
  logger?: Logger;
}

/**
 * `GET /healthz` for load balancers and the operator: 200 `{"status":"ok"}`, or 503
 * `{"status":"degraded", …details}` so a failing disk takes the instance out of rotation.
 */
export function healthRouter({ checks, logger }: HealthDeps = {}): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    let report: HealthReport & Record<string, unknown>;
    try {
      report = checks ? { ...(await checks()) } : { ok: true };
    } catch (error) {
      logger?.error({ err: error }, 'health check failed');
      report = { ok: false, reason: 'health check failed' };
    }
    if (report.ok) {
      res.status(200).json({ status: 'ok' });
      return;
    }
    const { ok: _ok, ...details } = report;
    res.status(503).json({ ...details, status: 'degraded' });
  });
  return router;
}
