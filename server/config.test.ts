import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('CONF-1: with nothing set, the embedded defaults apply', () => {
    const config = loadConfig({}, '/srv/rt');
    expect(config).toMatchObject({ host: 'localhost', port: 3000, dataDir: path.resolve('/srv/rt/data'), logLevel: 'info' });
  });

  it('CONF-2: values are read and DATA_DIR is resolved against the working directory', () => {
    const config = loadConfig({ HOST: '0.0.0.0', PORT: '8080', DATA_DIR: 'var/rt', LOG_LEVEL: 'debug' }, '/srv');
    expect(config).toMatchObject({ host: '0.0.0.0', port: 8080, dataDir: '/srv/var/rt', logLevel: 'debug' });
  });

  it('CONF-3: an empty variable counts as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '3.5'],
    ['LOG_LEVEL', 'loud'],
    ['MAX_MESSAGE_BYTES', '0'],
    ['MAX_DOCUMENT_BYTES', 'lots'],
  ])('CONF-4: %s=%s is refused with a message naming the variable and its value', (key, value) => {
    let error: unknown;
    try {
      loadConfig({ [key]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${key}="${value}"`);
  });

  it('CONF-5: every bad variable is reported at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT="x"[\s\S]*LOG_LEVEL="y"|LOG_LEVEL="y"[\s\S]*PORT="x"/);
  });

  it('CONF-6: the account and origin settings have safe defaults and are read', () => {
    const defaults = loadConfig({});
    expect(defaults).toMatchObject({
      publicUrl: null,
      allowedOrigins: null,
      cookieSecure: false,
      sessionTtlHours: 336,
      admin: { email: 'admin@roundtable.local', password: null },
      demo: false,
      trustProxy: false,
      rateLimits: { windowMinutes: 15, signIn: 10, invites: 30, wsPerMinute: 60, wsConcurrent: 200 },
    });
    const set = loadConfig({
      PUBLIC_URL: 'https://roundtable.example.org/app/',
      ALLOWED_ORIGINS: 'https://a.example.org, http://localhost:5173',
      SESSION_TTL_HOURS: '12',
      ROUNDTABLE_ADMIN_EMAIL: 'Boss@Example.org',
      ROUNDTABLE_ADMIN_PASSWORD: 'a very long password',
      ROUNDTABLE_DEMO: '1',
      TRUST_PROXY: '1',
    });
    expect(set).toMatchObject({
      publicUrl: 'https://roundtable.example.org',
      allowedOrigins: ['https://a.example.org', 'http://localhost:5173'],
      cookieSecure: true, // PUBLIC_URL is https
      sessionTtlHours: 12,
      admin: { email: 'boss@example.org', password: 'a very long password' },
      demo: true,
      trustProxy: 1,
    });
    expect(loadConfig({ PUBLIC_URL: 'https://x.example.org', COOKIE_SECURE: '0' }).cookieSecure).toBe(false);
  });

  it('CONF-7: bad account settings are refused, and a bad password is never echoed', () => {
    for (const [key, value] of [
      ['ALLOWED_ORIGINS', 'https://a.example.org/path'],
      ['ALLOWED_ORIGINS', 'ftp://a.example.org'],
      ['PUBLIC_URL', 'roundtable.example.org'],
      ['ROUNDTABLE_ADMIN_EMAIL', 'not-an-email'],
      ['ROUNDTABLE_DEMO', 'maybe'],
      ['SESSION_TTL_HOURS', '0'],
    ] as const) {
      expect(() => loadConfig({ [key]: value }), `${key}=${value}`).toThrow(ConfigError);
    }
    let message = '';
    try {
      loadConfig({ ROUNDTABLE_ADMIN_PASSWORD: 'short' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('ROUNDTABLE_ADMIN_PASSWORD=(hidden)');
    expect(message).not.toContain('short"');
  });

  it('CONF-8: the abuse limits and timeouts have defaults, are read, and a header timeout longer than the request timeout is refused', () => {
    expect(loadConfig({})).toMatchObject({
      collab: { maxBufferedBytes: 64 * 1024 * 1024, maxUpdateOperations: 30_000, awarenessPerSecond: 10, awarenessBurst: 30 },
      http: { headersTimeoutMs: 20_000, requestTimeoutMs: 60_000 },
      shutdownTimeoutMs: 10_000,
    });
    // The send buffer follows MAX_MESSAGE_BYTES unless set: a whole broadcast always fits.
    expect(loadConfig({ MAX_MESSAGE_BYTES: String(32 * 1024 * 1024) }).collab.maxBufferedBytes).toBe(128 * 1024 * 1024);
    const set = loadConfig({
      MAX_BUFFERED_BYTES: '262144',
      MAX_UPDATE_OPERATIONS: '1000',
      AWARENESS_RATE_PER_SECOND: '5',
      AWARENESS_BURST: '12',
      HEADERS_TIMEOUT_MS: '1000',
      REQUEST_TIMEOUT_MS: '2000',
      SHUTDOWN_TIMEOUT_MS: '1500',
    });
    expect(set).toMatchObject({
      collab: { maxBufferedBytes: 262144, maxUpdateOperations: 1000, awarenessPerSecond: 5, awarenessBurst: 12 },
      http: { headersTimeoutMs: 1000, requestTimeoutMs: 2000 },
      shutdownTimeoutMs: 1500,
    });
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '1000' })).toThrow(/HEADERS_TIMEOUT_MS="5000": must not exceed REQUEST_TIMEOUT_MS/);
    for (const key of ['MAX_BUFFERED_BYTES', 'MAX_UPDATE_OPERATIONS', 'AWARENESS_RATE_PER_SECOND', 'AWARENESS_BURST', 'HEADERS_TIMEOUT_MS', 'SHUTDOWN_TIMEOUT_MS']) {
      expect(() => loadConfig({ [key]: '0' }), key).toThrow(ConfigError);
    }
  });

  it('CONF-9: DOC_STORE and JOURNAL_COMMIT_WINDOW_MS have defaults, are read, and bad values are refused', () => {
    expect(loadConfig({}).storage).toEqual({ docStore: 'journal', journalCommitWindowMs: 25 });
    expect(loadConfig({ DOC_STORE: 'file', JOURNAL_COMMIT_WINDOW_MS: '0' }).storage).toEqual({ docStore: 'file', journalCommitWindowMs: 0 });
    for (const [key, value] of [['DOC_STORE', 'postgres'], ['JOURNAL_COMMIT_WINDOW_MS', '-1'], ['JOURNAL_COMMIT_WINDOW_MS', '1.5'], ['JOURNAL_COMMIT_WINDOW_MS', '5000']] as const) {
      expect(() => loadConfig({ [key]: value }), `${key}=${value}`).toThrow(ConfigError);
    }
  });
});
