import express, { type NextFunction, type Request, type Response } from 'express';
import { ApiErrorCode } from '../../shared/domain/index.js';
import { HttpError } from './errors.js';

/** Largest JSON body the API accepts; metadata requests are a few hundred bytes. */
export const JSON_BODY_LIMIT = '256kb';

const parseJson = express.json({ limit: JSON_BODY_LIMIT });

/**
 * For routes that take a body: insist on `Content-Type: application/json` (415 otherwise, rather
 * than body-parser's silent "no body"), then parse it. Requiring the JSON type also means a
 * cross-site HTML form, which cannot send it without a CORS preflight, cannot reach these routes.
 */
// Generic in the route parameters so that, placed before a handler, it keeps `req.params` typed.
export function jsonBody<P>(req: Request<P>, res: Response, next: NextFunction): void {
  if (!req.is('application/json')) {
    next(new HttpError(415, ApiErrorCode.UnsupportedMediaType, 'Send the request body as JSON with the header Content-Type: application/json.'));
    return;
  }
  parseJson(req, res, next);
}
