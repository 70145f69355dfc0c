import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { acceptErrorMessage, signInErrorMessage } from './errorMessages.js';

describe('signInErrorMessage', () => {
  it('says plainly that the credentials are wrong, without saying which', () => {
    expect(signInErrorMessage(new ApiError(401, 'INVALID_CREDENTIALS', 'x'))).toMatch(/email address or password is not right/);
  });

  it('tells a rate-limited person how long to wait', () => {
    expect(signInErrorMessage(new ApiError(429, 'RATE_LIMITED', 'x', undefined, 30))).toMatch(/in 30 seconds/);
    expect(signInErrorMessage(new ApiError(429, 'RATE_LIMITED', 'x', undefined, 600))).toMatch(/in 10 minutes/);
    expect(signInErrorMessage(new ApiError(429, 'RATE_LIMITED', 'x'))).toMatch(/in a few minutes/);
  });

  it('recognises an unreachable server and passes anything else on', () => {
    expect(signInErrorMessage(new ApiError(0, 'NETWORK_ERROR', 'x'))).toMatch(/cannot be reached/);
    expect(signInErrorMessage(new ApiError(403, 'ACCOUNT_DEACTIVATED', 'This account is deactivated.'))).toBe('This account is deactivated.');
  });
});

describe('acceptErrorMessage', () => {
  it('explains a used or expired invitation', () => {
    expect(acceptErrorMessage(new ApiError(410, 'INVITE_INVALID', 'x'))).toMatch(/can no longer be used/);
    expect(acceptErrorMessage(new ApiError(409, 'EMAIL_TAKEN', 'An account with this email exists.'))).toBe('An account with this email exists.');
  });
});
