import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, fieldErrorsFrom, onSessionEnded } from './client.js';
import { parseRetryAfter } from './http.js';

const respond = (status: number, body: unknown) =>
  vi.fn(async () => new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));

describe('api client', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('unwraps the answer', async () => {
    vi.stubGlobal('fetch', respond(200, { groups: [{ id: 'g' }] }));
    await expect(api.listGroups()).resolves.toEqual([{ id: 'g' }]);
  });

  it('sends JSON bodies', async () => {
    const fetchMock = respond(201, { document: { id: 'd' } });
    vi.stubGlobal('fetch', fetchMock);
    await api.createDocument('digital-transition', { kind: 'working-draft', title: 'T' });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/groups/digital-transition/documents');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ kind: 'working-draft', title: 'T' });
  });

  it('throws an ApiError with the code, message and status of an error body', async () => {
    vi.stubGlobal('fetch', respond(404, { error: { code: 'NOT_FOUND', message: 'No such document.' } }));
    const error = await api.getDocument('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'No such document.', isNotFound: true });
  });

  it('reports an unreachable server as a network error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const error = await api.listGroups().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: 'NETWORK_ERROR', isNetwork: true });
  });

  it('copes with an error that has no JSON body (a proxy page)', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502 })));
    const error = await api.listGroups().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'BAD_RESPONSE', isNetwork: true });
  });
});

describe('accounts', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    onSessionEnded(null);
  });

  it('accepts 204 No Content where nothing is returned', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
    await expect(api.signOut()).resolves.toBeUndefined();
    await expect(api.revokeToken('t1')).resolves.toBeUndefined();
  });

  it('reports an ended session once per 401, but not wrong credentials', async () => {
    const ended = vi.fn();
    onSessionEnded(ended);
    vi.stubGlobal('fetch', respond(401, { error: { code: 'UNAUTHENTICATED', message: 'Sign in.' } }));
    const error = await api.listGroups().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, isSessionEnded: true });
    expect(ended).toHaveBeenCalledTimes(1);

    vi.stubGlobal('fetch', respond(401, { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong.' } }));
    await expect(api.signIn('a@b.eu', 'x')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS', isSessionEnded: false });
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it('reads Retry-After on a 429', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Slow down.' } }), { status: 429, headers: { 'Retry-After': '120' } })),
    );
    await expect(api.signIn('a@b.eu', 'x')).rejects.toMatchObject({ isRateLimited: true, retryAfterSeconds: 120 });
  });

  it('builds the activity query only from what is set', async () => {
    const fetchMock = respond(200, { activity: [] });
    vi.stubGlobal('fetch', fetchMock);
    await api.listActivity({});
    await api.listActivity({ groupId: 'digital-transition', limit: 50 });
    const urls = fetchMock.mock.calls.map((call) => (call as unknown as [string])[0]);
    expect(urls).toEqual(['/api/admin/activity', '/api/admin/activity?groupId=digital-transition&limit=50']);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(new Date(61_000).toUTCString(), 1_000)).toBe(60);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('fieldErrorsFrom', () => {
  it('reads the server issue list and zod issues', () => {
    expect(fieldErrorsFrom([{ path: 'meeting.date', message: 'must be a real calendar date' }])).toEqual({
      'meeting.date': 'must be a real calendar date',
    });
    expect(fieldErrorsFrom([{ path: ['meeting', 'place'], message: 'must not be empty' }])).toEqual({
      'meeting.place': 'must not be empty',
    });
  });

  it('reads a flattened zod error', () => {
    expect(fieldErrorsFrom({ fieldErrors: { title: ['must not be empty', 'x'] } })).toEqual({ title: 'must not be empty' });
  });

  it('ignores anything else', () => {
    expect(fieldErrorsFrom(undefined)).toEqual({});
    expect(fieldErrorsFrom('nope')).toEqual({});
    expect(fieldErrorsFrom([null, 3, { path: 'a' }])).toEqual({});
  });
});
