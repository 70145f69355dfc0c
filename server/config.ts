import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce
  .number({ error: 'must be a whole number from 0 to 65535' })
  .int('must be a whole number from 0 to 65535')
  .min(0, 'must be a whole number from 0 to 65535')
  .max(65535, 'must be a whole number from 0 to 65535');

const positiveBytes = (fallback: number) =>
  z.coerce.number({ error: 'must be a number of bytes' }).int('must be a whole number of bytes').positive('must be positive').default(fallback);

/**
 * Environment variables Roundtable reads. Every one is optional: the defaults run the embedded
 * mode (no database to install). Documented in .env.example and docs/OPERATIONS.md.
 */
const envSchema = z.object({
  HOST: z.string().trim().min(1, 'must not be empty').default('localhost'),
  PORT: port.default(3000),
  DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./data'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /** Largest single WebSocket frame accepted; larger frames close the socket with 1009. */
  MAX_MESSAGE_BYTES: positiveBytes(16 * 1024 * 1024),
  /** Largest encoded size a document may grow to; an update beyond it closes with 4413. */
  MAX_DOCUMENT_BYTES: positiveBytes(64 * 1024 * 1024),
  /** Directory of the built client; the server serves it when it exists. */
  CLIENT_DIR: z.string().trim().min(1).default('./dist/client'),
});

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  maxMessageBytes: number;
  maxDocumentBytes: number;
  clientDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  // An empty variable (`PORT=`) means "not set", as in most tools, rather than "invalid".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '?');
        return `${key}=${JSON.stringify(env[key] ?? '')}: ${issue.message}`;
      }),
    );
  }
  const parsed = result.data;
  return {
    host: parsed.HOST,
    port: parsed.PORT,
    dataDir: path.resolve(cwd, parsed.DATA_DIR),
    logLevel: parsed.LOG_LEVEL,
    maxMessageBytes: parsed.MAX_MESSAGE_BYTES,
    maxDocumentBytes: parsed.MAX_DOCUMENT_BYTES,
    clientDir: path.resolve(cwd, parsed.CLIENT_DIR),
  };
}
