import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { expect } from 'vitest';
import type { GroupRole, TokenScope } from '../../shared/domain/index.js';
import { OriginPolicy } from '../auth/originPolicy.js';
import type { RateLimitConfig } from '../config.js';
import { createAccessServices, type AccessServices } from '../services/accessServices.js';
import { seedWorkspace } from '../services/seedWorkspace.js';
import { buildUser } from '../services/userFactory.js';
import type { StoredUser } from '../storage/AccountStore.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { MemoryDocStore } from '../storage/memoryDocStore.js';
import { MemoryMetaStore } from '../storage/memoryMetaStore.js';
import { createApiRouter } from './apiApp.js';
import { healthRouter, type HealthDeps } from './healthRouter.js';
import { securityHeaders } from './securityHeaders.js';

/**
 * The REST API in-process over in-memory stores, for the unit tests of server/http: a seeded
 * workspace, an admin, and helpers to act as anyone (bearer token, or a signed-in cookie).
 */

/** The reference in-memory DocStore, plus a hook to observe the order of writes. */
export class ObservedDocStore extends MemoryDocStore {
  readonly updates: Map<string, Uint8Array[]>;
  onAppend: ((docId: string) => Promise<void> | void) | undefined;

  constructor() {
    const updates = new Map<string, Uint8Array[]>();
    super({ data: updates });
    this.updates = updates;
  }

  override async append(docId: string, update: Uint8Array): Promise<void> {
    await this.onAppend?.(docId);
    await super.append(docId, update);
  }
}

export const NOW = new Date('2024-03-01T09:00:00.000Z');
export const ORIGIN = 'http://roundtable.test';
export const PASSWORD = 'correct horse battery staple';
export const silent = pino({ level: 'silent' });

export const TEST_RATE_LIMITS: RateLimitConfig = { windowMinutes: 15, signIn: 1000, invites: 1000, wsPerMinute: 1000, wsConcurrent: 1000 };

export interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Harness {
  base: string;
  meta: MetaStore;
  docs: ObservedDocStore;
  access: AccessServices;
  logs: string[];
  admin: StoredUser;
  /** A full-scope token of the admin; `call` sends it unless told otherwise. */
  adminToken: string;
  setClock(date: Date): void;
  /** A new active user, optionally a member of groups. */
  user(name: string, memberships?: Record<string, GroupRole>, options?: { isAdmin?: boolean }): Promise<StoredUser>;
  tokenFor(user: StoredUser, scope?: TokenScope): Promise<string>;
  /** Signs in through the API; resolves to the `Cookie` header value. */
  signIn(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  meta?: MetaStore;
  seed?: boolean;
  health?: HealthDeps;
  rateLimits?: Partial<RateLimitConfig>;
  cookieSecure?: boolean;
  headers?: boolean;
}

export async function startApi(options: HarnessOptions = {}): Promise<Harness> {
  const meta = options.meta ?? new MemoryMetaStore();
  const docs = new ObservedDocStore();
  const logs: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void logs.push(line) });
  let clock = NOW;
  const now = () => clock;
  if (options.seed !== false) await seedWorkspace({ meta, docs, logger: silent, now });
  const access = createAccessServices({ meta, logger, sessionTtlHours: 24, now });
  const origins = new OriginPolicy([ORIGIN]);
  const app = express();
  if (options.headers) app.use(securityHeaders({ origins: origins.origins, https: false }));
  app.use(healthRouter(options.health));
  app.use(
    createApiRouter({
      meta,
      docs,
      logger,
      access,
      origins,
      publicUrl: null,
      cookie: { secure: options.cookieSecure ?? false, maxAgeSeconds: 24 * 3600 },
      rateLimits: { ...TEST_RATE_LIMITS, ...options.rateLimits },
      now,
    }),
  );
  const server = http.createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  let counter = 0;
  const user: Harness['user'] = async (name, memberships = {}, extra = {}) => {
    const stored = await buildUser({ email: `${name.toLowerCase()}-${++counter}@example.org`, name, password: PASSWORD, isAdmin: extra.isAdmin ?? false }, now());
    await meta.insertUser(
      stored,
      Object.entries(memberships).map(([groupId, role]) => ({ groupId, userId: stored.id, role, addedAt: now().toISOString() })),
    );
    return stored;
  };
  const admin = await user('Admin', {}, { isAdmin: true });
  const tokenFor: Harness['tokenFor'] = async (owner, scope = 'full') => (await access.tokens.create(owner.id, `${owner.name} ${scope}`, scope)).secret;
  const adminToken = await tokenFor(admin);

  return {
    base,
    meta,
    docs,
    access,
    logs,
    admin,
    adminToken,
    setClock: (date) => {
      clock = date;
    },
    user,
    tokenFor,
    signIn: async (email, password = PASSWORD) => {
      const response = await fetch(`${base}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ email, password }),
      });
      expect(response.status).toBe(200);
      const cookie = response.headers.get('set-cookie') ?? '';
      return cookie.split(';')[0]!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Who a request is made as: a bearer token, a session cookie (sent with our Origin), or nobody. */
export type As = { token: string } | { cookie: string; origin?: string | null } | 'anonymous';

export async function call<T = Record<string, unknown>>(h: Harness, path: string, init: RequestInit = {}, as: As = { token: h.adminToken }): Promise<Reply<T>> {
  const headers = new Headers(init.headers);
  if (as !== 'anonymous' && 'token' in as) headers.set('authorization', `Bearer ${as.token}`);
  if (as !== 'anonymous' && 'cookie' in as) {
    headers.set('cookie', as.cookie);
    if (as.origin !== null) headers.set('origin', as.origin ?? ORIGIN);
  }
  const response = await fetch(`${h.base}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export function sendJson(method: string, body: unknown): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Array<{ path: string; message: string }> };
}

/** API-14: every error body is exactly `{ error: { code, message, details? } }`. */
export function expectError(reply: Reply<unknown>, status: number, code: string): ErrorBody['error'] {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  const body = reply.body as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).every((key) => ['code', 'message', 'details'].includes(key))).toBe(true);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  return body.error;
}
