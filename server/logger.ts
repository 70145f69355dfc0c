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
    // Defence in depth: the code never logs these on purpose; if an object carrying one is ever
    // logged (a request, a user record, a body), the field is dropped rather than written out.
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'headers.cookie',
        'headers.authorization',
        '*.headers.cookie',
        '*.headers.authorization',
        'password',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
        'passwordHash',
        '*.passwordHash',
        '*.*.passwordHash',
        'secret',
        '*.secret',
        '*.token',
        '*.hash',
        'generatedPassword',
      ],
      remove: true,
    },
  });
}
