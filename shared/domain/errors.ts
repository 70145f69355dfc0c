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

/** Stable error codes of the REST API (documented in docs/API.md and docs/SPEC.md). */
export const ApiErrorCode = {
  NotFound: 'NOT_FOUND',
  ValidationFailed: 'VALIDATION_FAILED',
  MalformedJson: 'MALFORMED_JSON',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  /** A request the server could not read for another reason (for example an aborted upload). */
  BadRequest: 'BAD_REQUEST',
  Internal: 'INTERNAL_ERROR',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];
