import path from 'node:path';
import { z } from 'zod';
import { passwordSchema } from '../shared/domain/index.js';
import { DEFAULT_COMMIT_WINDOW_MS } from './storage/journal/journalDocStore.js';

const DOC_STORES = ['journal', 'file'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce
  .number({ error: 'must be a whole number from 0 to 65535' })
  .int('must be a whole number from 0 to 65535')
  .min(0, 'must be a whole number from 0 to 65535')
  .max(65535, 'must be a whole number from 0 to 65535');

const positiveBytes = (fallback: number) =>
  z.coerce.number({ error: 'must be a number of bytes' }).int('must be a whole number of bytes').positive('must be positive').default(fallback);

const positiveCount = (fallback: number) =>
  z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').positive('must be positive').default(fallback);

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'], { error: 'must be 1 or 0' })
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

/** An origin as browsers send it: scheme, host and port only (`https://roundtable.example.org`). */
function toOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

const publicUrl = z
  .string()
  .trim()
  .refine((value) => toOrigin(value) !== null, 'must be an http:// or https:// address, e.g. https://roundtable.example.org');

const originList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== ''))
  .refine((items) => items.length > 0 && items.every((item) => toOrigin(item) === item.replace(/\/$/, '')), {
    message: 'must be a comma-separated list of origins such as https://roundtable.example.org (scheme, host and port only)',
  });

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
  /** The address people use (behind a proxy: the proxy's); allowed origin and invitation links. */
  PUBLIC_URL: publicUrl.optional(),
  /** Replaces the default Origin allow-list (see docs/SECURITY.md). */
  ALLOWED_ORIGINS: originList.optional(),
  /** Marks the session cookie `Secure`; defaults to on when PUBLIC_URL is https. */
  COOKIE_SECURE: flag.optional(),
  SESSION_TTL_HOURS: positiveCount(336),
  /** The first admin, created when the workspace has no account yet. */
  ROUNDTABLE_ADMIN_EMAIL: z.string().trim().toLowerCase().email('must be an email address').optional(),
  ROUNDTABLE_ADMIN_PASSWORD: passwordSchema.optional(),
  /** Demo accounts with a published password: for trying Roundtable out, never for real data. */
  ROUNDTABLE_DEMO: flag.default(false),
  /** express `trust proxy`: a hop count or a list of proxy addresses, so rate limits see client IPs. */
  TRUST_PROXY: z.string().trim().optional(),
  RATE_LIMIT_WINDOW_MINUTES: positiveCount(15),
  /** Failed sign-ins per window for one address and email (successful ones are not counted). */
  SIGNIN_RATE_LIMIT: positiveCount(10),
  /** Invitation look-ups and acceptances per window for one address. */
  INVITE_RATE_LIMIT: positiveCount(30),
  /** New collaboration sockets one user may open per minute, and may hold open at once. */
  WS_CONNECTIONS_PER_MINUTE: positiveCount(60),
  WS_CONNECTIONS_PER_USER: positiveCount(200),
  /**
   * Outgoing bytes a socket may leave unread before it is disconnected (a client that never
   * reads). Default: max(4 × MAX_MESSAGE_BYTES, 16 MiB), so one whole broadcast always fits.
   */
  MAX_BUFFERED_BYTES: z.coerce.number({ error: 'must be a number of bytes' }).int('must be a whole number of bytes').positive('must be positive').optional(),
  /**
   * Structs, deletions and values one update may hold (docs/SECURITY.md, "Decoding untrusted
   * updates"): applying costs main-thread time in proportion, so this bounds one frame's stall.
   */
  MAX_UPDATE_OPERATIONS: positiveCount(30_000),
  /** Awareness (presence) messages per socket: sustained per second, and the burst allowed. */
  AWARENESS_RATE_PER_SECOND: positiveCount(10),
  AWARENESS_BURST: positiveCount(30),
  /** Slow-loris bounds: time to receive a request's headers, and the whole request. */
  HEADERS_TIMEOUT_MS: positiveCount(20_000),
  REQUEST_TIMEOUT_MS: positiveCount(60_000),
  /** How long SIGTERM may take to flush before the server gives up and exits non-zero. */
  SHUTDOWN_TIMEOUT_MS: positiveCount(10_000),
  /** Where document content goes: `journal` (one shared write-ahead journal) or `file` (a log per document). */
  DOC_STORE: z.enum(DOC_STORES, { error: `must be one of ${DOC_STORES.join(', ')}` }).default('journal'),
  /** How long the journal's first append of a batch waits for others before the write (delays only "saved"). */
  JOURNAL_COMMIT_WINDOW_MS: z.coerce.number({ error: 'must be a whole number of milliseconds' }).int('must be a whole number of milliseconds').min(0, 'must be 0 or more').max(1000, 'must be at most 1000').default(DEFAULT_COMMIT_WINDOW_MS),
});

export interface RateLimitConfig {
  windowMinutes: number;
  signIn: number;
  invites: number;
  wsPerMinute: number;
  wsConcurrent: number;
}

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  maxMessageBytes: number;
  maxDocumentBytes: number;
  clientDir: string;
  /** Origin of PUBLIC_URL (no path), or null. */
  publicUrl: string | null;
  /** ALLOWED_ORIGINS when set; null means the defaults computed once the port is known. */
  allowedOrigins: string[] | null;
  cookieSecure: boolean;
  sessionTtlHours: number;
  admin: { email: string; password: string | null };
  demo: boolean;
  /** express `trust proxy` value; false when unset. */
  trustProxy: boolean | number | string;
  rateLimits: RateLimitConfig;
  /** Per-socket limits of the collaboration server (docs/SECURITY.md, "Limits"). */
  collab: CollabLimitsConfig;
  /** Slow-loris bounds of the HTTP server. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  shutdownTimeoutMs: number;
  /** Document content storage (docs/STORAGE.md): the adapter and the journal's commit window. */
  storage: { docStore: (typeof DOC_STORES)[number]; journalCommitWindowMs: number };
}

export interface CollabLimitsConfig {
  maxBufferedBytes: number;
  maxUpdateOperations: number;
  awarenessPerSecond: number;
  awarenessBurst: number;
}

/** The first admin's address when ROUNDTABLE_ADMIN_EMAIL is not set. */
export const DEFAULT_ADMIN_EMAIL = 'admin@roundtable.local';

const SECRET_VARIABLES = new Set(['ROUNDTABLE_ADMIN_PASSWORD']);

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
        // A secret is never echoed, not even when it is wrong (it ends up in terminal scrollback and logs).
        const shown = SECRET_VARIABLES.has(key) ? '(hidden)' : JSON.stringify(env[key] ?? '');
        return `${key}=${shown}: ${issue.message}`;
      }),
    );
  }
  const parsed = result.data;
  if (parsed.HEADERS_TIMEOUT_MS > parsed.REQUEST_TIMEOUT_MS) {
    // Node refuses to wait longer for the headers than for the whole request.
    throw new ConfigError([`HEADERS_TIMEOUT_MS=${JSON.stringify(env.HEADERS_TIMEOUT_MS ?? '')}: must not exceed REQUEST_TIMEOUT_MS (${parsed.REQUEST_TIMEOUT_MS})`]);
  }
  const origin = parsed.PUBLIC_URL ? toOrigin(parsed.PUBLIC_URL) : null;
  return {
    host: parsed.HOST,
    port: parsed.PORT,
    dataDir: path.resolve(cwd, parsed.DATA_DIR),
    logLevel: parsed.LOG_LEVEL,
    maxMessageBytes: parsed.MAX_MESSAGE_BYTES,
    maxDocumentBytes: parsed.MAX_DOCUMENT_BYTES,
    clientDir: path.resolve(cwd, parsed.CLIENT_DIR),
    publicUrl: origin,
    allowedOrigins: parsed.ALLOWED_ORIGINS ? parsed.ALLOWED_ORIGINS.map((item) => toOrigin(item)!) : null,
    cookieSecure: parsed.COOKIE_SECURE ?? origin?.startsWith('https:') ?? false,
    sessionTtlHours: parsed.SESSION_TTL_HOURS,
    admin: { email: parsed.ROUNDTABLE_ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL, password: parsed.ROUNDTABLE_ADMIN_PASSWORD ?? null },
    demo: parsed.ROUNDTABLE_DEMO,
    trustProxy: parseTrustProxy(parsed.TRUST_PROXY),
    rateLimits: {
      windowMinutes: parsed.RATE_LIMIT_WINDOW_MINUTES,
      signIn: parsed.SIGNIN_RATE_LIMIT,
      invites: parsed.INVITE_RATE_LIMIT,
      wsPerMinute: parsed.WS_CONNECTIONS_PER_MINUTE,
      wsConcurrent: parsed.WS_CONNECTIONS_PER_USER,
    },
    collab: {
      maxBufferedBytes: parsed.MAX_BUFFERED_BYTES ?? Math.max(4 * parsed.MAX_MESSAGE_BYTES, 16 * 1024 * 1024),
      maxUpdateOperations: parsed.MAX_UPDATE_OPERATIONS,
      awarenessPerSecond: parsed.AWARENESS_RATE_PER_SECOND,
      awarenessBurst: parsed.AWARENESS_BURST,
    },
    http: { headersTimeoutMs: parsed.HEADERS_TIMEOUT_MS, requestTimeoutMs: parsed.REQUEST_TIMEOUT_MS },
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    storage: { docStore: parsed.DOC_STORE, journalCommitWindowMs: parsed.JOURNAL_COMMIT_WINDOW_MS },
  };
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '0' || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
