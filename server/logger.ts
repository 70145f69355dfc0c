import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout (pino: the de-facto fast structured logger for Node; one JSON
 * object per line, so operators can ship them anywhere and tests can parse them).
 */
export function createLogger(level: LevelWithSilent): Logger {
  return pino({
    level,
    base: { service: 'roundtable' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', '*.password'], remove: true },
  });
}
