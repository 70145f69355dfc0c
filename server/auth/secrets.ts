import { createHash, randomBytes } from 'node:crypto';

/**
 * Secrets handed to people (session cookies, API tokens, invitation links) are 32 random bytes,
 * base64url. Only their SHA-256 is stored: the secrets are already high-entropy, so a fast hash
 * is enough (unlike passwords), and a copy of meta.json yields nothing that signs anyone in.
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** 32 bytes in base64url, without padding. */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
