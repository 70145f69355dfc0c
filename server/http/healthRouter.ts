import { Router, type Response } from 'express';
import type { Logger } from '../logger.js';

/** What a storage (or other) health check reports; its other fields are passed on when degraded. */
export interface HealthReport {
  ok: boolean;
}

export interface HealthDeps {
  /** Wired by the composition root (e.g. the DocStore's write health); absent means healthy. */
  checks?: () => HealthReport | Promise<HealthReport>;
  /** True once shutdown has begun: the instance must leave the load balancer's rotation. */
  shuttingDown?: () => boolean;
  logger?: Logger;
}

/**
 * Health endpoints for load balancers, process managers and the operator (docs/OPERATIONS.md):
 *
 * - `GET /healthz` (liveness and storage): 200 `{"status":"ok"}`, or 503
 *   `{"status":"degraded", …details}` so a failing disk takes the instance out of rotation.
 * - `GET /readyz` (may this instance take traffic?): 503 `{"status":"shutting-down"}` once
 *   SIGTERM was received, 503 `{"status":"degraded", …}` while writes fail, else 200
 *   `{"status":"ready"}`. There is no "starting" state: the server listens only after loading.
 */
export function healthRouter({ checks, shuttingDown, logger }: HealthDeps = {}): Router {
  const router = Router();

  const storage = async (): Promise<HealthReport & Record<string, unknown>> => {
    try {
      return checks ? { ...(await checks()) } : { ok: true };
    } catch (error) {
      logger?.error({ err: error }, 'health check failed');
      return { ok: false, reason: 'health check failed' };
    }
  };

  const degraded = (res: Response, report: HealthReport & Record<string, unknown>): void => {
    const { ok: _ok, ...details } = report;
    res.status(503).json({ ...details, status: 'degraded' });
  };

  router.get('/healthz', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const report = await storage();
    if (report.ok) res.status(200).json({ status: 'ok' });
    else degraded(res, report);
  });

  router.get('/readyz', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (shuttingDown?.()) {
      res.status(503).json({ status: 'shutting-down' });
      return;
    }
    const report = await storage();
    if (report.ok) res.status(200).json({ status: 'ready' });
    else degraded(res, report);
  });

  return router;
}
