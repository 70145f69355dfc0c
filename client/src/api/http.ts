import type { ApiErrorBody } from '../../../shared/domain/index.js';

/**
 * A failed API call. `status` is the HTTP status (0 when the server could not be reached),
 * `code` the stable error code from the body (or NETWORK_ERROR / BAD_RESPONSE when there was no
 * usable body), `details` whatever the server attached (validation issues), `retryAfterSeconds`
 * the server's Retry-After on a 429, when it sent one.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** The server was not reached at all (offline, server down, proxy gave up). */
  get isNetwork(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }

  get isRateLimited(): boolean {
    return this.status === 429;
  }

  /**
   * The request was refused because there is no (longer a) session. A 401 that means "these
   * credentials are wrong" (sign-in, the current password when changing it) is an answer to the
   * form, not the end of the session, so it is told apart by its code.
   */
  get isSessionEnded(): boolean {
    return this.status === 401 && this.code !== 'INVALID_CREDENTIALS';
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

/** Retry-After is either seconds or an HTTP date; only what a person can act on is kept. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

let sessionEndedListener: (() => void) | null = null;

/**
 * Called whenever any API call answers "not signed in": the auth layer then sends the person
 * to the sign-in page (keeping where they were). One listener: there is one auth layer.
 */
export function onSessionEnded(listener: (() => void) | null): void {
  sessionEndedListener = listener;
}

/** Sends a request and returns the parsed body, or `undefined` for an empty 2xx (204). */
async function send(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<{ status: number; parsed: unknown }> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal: signal ?? null,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      // The session cookie is httpOnly: the browser attaches it, this code never sees it.
      credentials: 'same-origin',
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
    const error = isErrorBody(parsed)
      ? new ApiError(response.status, typeof parsed.error.code === 'string' ? parsed.error.code : 'ERROR', parsed.error.message, parsed.error.details, retryAfter)
      : new ApiError(response.status, 'BAD_RESPONSE', `The server answered ${response.status} ${response.statusText}.`.trim(), undefined, retryAfter);
    if (error.isSessionEnded) sessionEndedListener?.();
    throw error;
  }
  if (parsed === undefined && text !== '') {
    throw new ApiError(response.status, 'BAD_RESPONSE', 'The server sent an answer that could not be read.');
  }
  return { status: response.status, parsed };
}

/** A request whose answer has a JSON body. */
export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const { status, parsed } = await send(method, path, body, signal);
  if (parsed === undefined) throw new ApiError(status, 'BAD_RESPONSE', 'The server sent an answer that could not be read.');
  return parsed as T;
}

/** A request answered with 204 No Content (or a body that is not needed). */
export async function requestVoid(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<void> {
  await send(method, path, body, signal);
}

/**
 * Field messages from a validation error, keyed by dotted path ("meeting.date"). Accepts the
 * shapes a zod-based server is likely to send as `details`: an issues array
 * (`[{ path, message }]`) or a flattened `{ fieldErrors }` object.
 */
export function fieldErrorsFrom(details: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const issues = Array.isArray(details)
    ? details
    : typeof details === 'object' && details !== null && Array.isArray((details as { issues?: unknown }).issues)
      ? (details as { issues: unknown[] }).issues
      : null;
  if (issues) {
    for (const issue of issues) {
      if (typeof issue !== 'object' || issue === null) continue;
      const { path, message } = issue as { path?: unknown; message?: unknown };
      if (typeof message !== 'string') continue;
      const key = Array.isArray(path) ? path.map(String).join('.') : typeof path === 'string' ? path : '';
      out[key] ??= message;
    }
    return out;
  }
  if (typeof details === 'object' && details !== null) {
    const fieldErrors = (details as { fieldErrors?: unknown }).fieldErrors;
    if (typeof fieldErrors === 'object' && fieldErrors !== null) {
      for (const [key, messages] of Object.entries(fieldErrors)) {
        if (Array.isArray(messages) && typeof messages[0] === 'string') out[key] = messages[0];
      }
    }
  }
  return out;
}
