/** Shape of every HTTP error body: `{ "error": { "code", "message" } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Stable error codes of the REST API (documented in docs/SPEC.md). */
export const ApiErrorCode = {
  NotFound: 'NOT_FOUND',
  ValidationFailed: 'VALIDATION_FAILED',
  MalformedJson: 'MALFORMED_JSON',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  Internal: 'INTERNAL_ERROR',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];
