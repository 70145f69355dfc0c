import { ApiError } from '../api/client.js';
import { describeError } from '../components/ErrorState.js';

/** A sentence for each way signing in can fail; the server's own message for anything else. */
export function signInErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'INVALID_CREDENTIALS' || error.status === 401) {
      return 'The email address or password is not right. Check both and try again.';
    }
    if (error.isRateLimited) {
      const wait = error.retryAfterSeconds;
      const when = wait === null ? 'in a few minutes' : wait < 90 ? `in ${Math.max(1, wait)} seconds` : `in ${Math.ceil(wait / 60)} minutes`;
      return `Too many sign-in attempts. For your account’s safety, please wait and try again ${when}.`;
    }
    if (error.isNetwork) return 'Roundtable cannot be reached. Check your connection and try again.';
  }
  return describeError(error);
}

/** What to say when the server refuses to redeem (410 INVITE_INVALID, 429, anything else). */
export function acceptErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 410 || error.code === 'INVITE_INVALID') return 'This invitation can no longer be used: it has expired, was revoked, or someone already used it.';
    if (error.isRateLimited) return 'Too many attempts. Please wait a few minutes and try again.';
  }
  return describeError(error);
}
