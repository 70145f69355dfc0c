import type {
  ApiErrorBody,
  CreateDocumentInput,
  DocumentMeta,
  GroupSummary,
  PatchDocumentInput,
} from '../../../shared/domain/index.js';

/**
 * A failed API call. `status` is the HTTP status (0 when the server could not be reached),
 * `code` the stable error code from the body (or NETWORK_ERROR / BAD_RESPONSE when there was no
 * usable body), `details` whatever the server attached (validation issues).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
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
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal: signal ?? null,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
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
    if (isErrorBody(parsed)) {
      const { code, message, details } = parsed.error;
      throw new ApiError(response.status, typeof code === 'string' ? code : 'ERROR', message, details);
    }
    throw new ApiError(response.status, 'BAD_RESPONSE', `The server answered ${response.status} ${response.statusText}.`.trim());
  }
  if (parsed === undefined) {
    throw new ApiError(response.status, 'BAD_RESPONSE', 'The server sent an answer that could not be read.');
  }
  return parsed as T;
}

const enc = encodeURIComponent;

export const api = {
  listGroups: (signal?: AbortSignal) => request<{ groups: GroupSummary[] }>('GET', '/api/groups', undefined, signal).then((r) => r.groups),

  getGroup: (groupId: string, signal?: AbortSignal) =>
    request<{ group: GroupSummary }>('GET', `/api/groups/${enc(groupId)}`, undefined, signal).then((r) => r.group),

  listDocuments: (groupId: string, signal?: AbortSignal) =>
    request<{ documents: DocumentMeta[] }>('GET', `/api/groups/${enc(groupId)}/documents`, undefined, signal).then((r) => r.documents),

  createDocument: (groupId: string, input: CreateDocumentInput) =>
    request<{ document: DocumentMeta }>('POST', `/api/groups/${enc(groupId)}/documents`, input).then((r) => r.document),

  getDocument: (documentId: string, signal?: AbortSignal) =>
    request<{ document: DocumentMeta }>('GET', `/api/documents/${enc(documentId)}`, undefined, signal).then((r) => r.document),

  patchDocument: (documentId: string, patch: PatchDocumentInput) =>
    request<{ document: DocumentMeta }>('PATCH', `/api/documents/${enc(documentId)}`, patch).then((r) => r.document),
};

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
