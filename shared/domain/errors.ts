/** Shape of every HTTP error body: `{ "error": { "code", "message" } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** One entry of `details` in a VALIDATION_FAILED body: which field, and what is wrong with it. */
export interface ValidationIssue {
  /** Dotted path of the field in the request body (`meeting.date`); '' for the body itself. */
  path: string;
  message: string;
}

/** Stable error codes of the REST API (documented in docs/API.md, docs/SECURITY.md and docs/SPEC.md). */
export const ApiErrorCode = {
  NotFound: 'NOT_FOUND',
  ValidationFailed: 'VALIDATION_FAILED',
  MalformedJson: 'MALFORMED_JSON',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  /** A request the server could not read for another reason (for example an aborted upload). */
  BadRequest: 'BAD_REQUEST',
  Internal: 'INTERNAL_ERROR',
  /** 401: no valid session cookie or bearer token (never signed in, expired, revoked, deactivated). */
  Unauthenticated: 'UNAUTHENTICATED',
  /** 401: sign-in (or the current password) refused; the same answer for every reason. */
  InvalidCredentials: 'INVALID_CREDENTIALS',
  /** 403: signed in and allowed to see the thing, but not to do this with it. */
  Forbidden: 'FORBIDDEN',
  /** 403: the request came with a read-only API token and would change something. */
  ReadOnlyToken: 'READ_ONLY_TOKEN',
  /** 403: a state-changing request or WebSocket upgrade from an Origin not in the allow-list. */
  OriginNotAllowed: 'ORIGIN_NOT_ALLOWED',
  /** 403: a cookie-authenticated state change without proof that it came from our own pages. */
  CsrfFailed: 'CSRF_FAILED',
  /** 409: the change conflicts with what exists (an email already taken, the last admin). */
  Conflict: 'CONFLICT',
  /** 410: the invitation was used, has expired or was revoked. */
  InviteInvalid: 'INVITE_INVALID',
  /** 429: too many attempts; `Retry-After` says when to try again. */
  RateLimited: 'RATE_LIMITED',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];
