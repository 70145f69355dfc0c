import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { ApiErrorCode, type ApiErrorBody, type ValidationIssue } from '../../shared/domain/index.js';
import type { Logger } from '../logger.js';
import { WrongPasswordError } from '../services/accountService.js';
import { InvalidDocumentChangeError } from '../services/documentService.js';
import { AccountConflictError } from '../storage/AccountStore.js';

/**
 * The one way the REST API reports errors: a status, a stable code (shared/domain/errors.ts) and
 * a message a person can act on, always as `{ "error": { "code", "message", "details"? } }`.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * Unknown and malformed ids get the same answer, so ids cannot be probed; so do ids of things the
 * person may not see (a group they are not in is "no such group", not "forbidden").
 */
export function notFound(what: 'group' | 'document' | 'user' | 'member' | 'invitation' | 'token'): HttpError {
  return new HttpError(404, ApiErrorCode.NotFound, `No such ${what}. It may have been removed, or the link is wrong.`);
}

export function unauthenticated(): HttpError {
  return new HttpError(401, ApiErrorCode.Unauthenticated, 'Sign in to continue: there is no valid session or API token with this request.');
}

export function invalidCredentials(message = 'The email or password is not correct.'): HttpError {
  return new HttpError(401, ApiErrorCode.InvalidCredentials, message);
}

/** The person may see the thing but not do this with it. */
export function forbidden(message: string): HttpError {
  return new HttpError(403, ApiErrorCode.Forbidden, message);
}

export function conflict(message: string): HttpError {
  return new HttpError(409, ApiErrorCode.Conflict, message);
}

export function sendError(res: Response, status: number, code: ApiErrorCode, message: string, details?: unknown): void {
  const body: ApiErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  res.status(status).json(body);
}

/** JSON 404 for anything under /api that no route matched (instead of the client's index.html). */
export const apiNotFound: RequestHandler = (req, res) => {
  sendError(res, 404, ApiErrorCode.NotFound, `There is no API route ${req.method} ${req.originalUrl.split('?')[0]}.`);
};

function joinPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** zod issues → `details`: one entry per field, in words a form can show next to the field. */
export function validationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.flatMap((issue): ValidationIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: joinPath([...issue.path, key]), message: 'is not an allowed field' }));
    }
    // zod does not keep the input (it may be large or private), so "missing" is recognisable
    // only from its standard message.
    if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
      return [{ path: joinPath(issue.path), message: 'is required' }];
    }
    return [{ path: joinPath(issue.path), message: issue.message }];
  });
}

function describeIssues(issues: ValidationIssue[]): string {
  return `The request is invalid: ${issues.map((issue) => (issue.path ? `${issue.path} ${issue.message}` : issue.message)).join('; ')}.`;
}

/** body-parser errors carry `type` and a 4xx `status`; anything else reaching us is unexpected. */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    error instanceof Error &&
    typeof (error as Partial<BodyParserError>).type === 'string' &&
    typeof (error as Partial<BodyParserError>).status === 'number'
  );
}

/** Maps every error of the API to its JSON body; unexpected ones are logged with their stack. */
export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    // Once a response has started, only express can end it (it destroys the socket).
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HttpError) {
      sendError(res, error.status, error.code, error.message, error.details);
      return;
    }
    if (error instanceof z.ZodError) {
      const issues = validationIssues(error);
      sendError(res, 400, ApiErrorCode.ValidationFailed, describeIssues(issues), issues);
      return;
    }
    if (error instanceof AccountConflictError) {
      sendError(res, 409, ApiErrorCode.Conflict, error.message);
      return;
    }
    if (error instanceof WrongPasswordError) {
      sendError(res, 401, ApiErrorCode.InvalidCredentials, error.message);
      return;
    }
    if (error instanceof InvalidDocumentChangeError) {
      sendError(res, 400, ApiErrorCode.ValidationFailed, describeIssues(error.issues), error.issues);
      return;
    }
    // The router could not percent-decode a path parameter (`%E0%A4%A`): that is a malformed
    // id, answered like an unknown one.
    if (error instanceof URIError && (error as URIError & { status?: number }).status === 400) {
      sendError(res, 404, ApiErrorCode.NotFound, 'Nothing exists at this address. The link may be wrong.');
      return;
    }
    if (isBodyParserError(error)) {
      switch (error.type) {
        case 'entity.parse.failed':
          sendError(res, 400, ApiErrorCode.MalformedJson, 'The request body is not valid JSON. Send a JSON object.');
          return;
        case 'entity.too.large':
          sendError(res, 413, ApiErrorCode.PayloadTooLarge, 'The request body is too large (at most 256 KB).');
          return;
        case 'charset.unsupported':
        case 'encoding.unsupported':
          sendError(res, 415, ApiErrorCode.UnsupportedMediaType, 'Send the body as UTF-8 JSON (optionally gzip, deflate or br encoded).');
          return;
        default:
          if (error.status >= 400 && error.status < 500) {
            sendError(res, error.status, ApiErrorCode.BadRequest, 'The request body could not be read. Please retry.');
            return;
          }
      }
    }
    logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unexpected error in API request');
    sendError(res, 500, ApiErrorCode.Internal, 'Something went wrong on the server. It has been logged; please try again.');
  };
}
