import { hash, randomBytes } from 'node:crypto';

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

/** One-shot `crypto.hash` (Node ≥ 20.12): ~2.5× cheaper than a Hash object, once per request and upgrade. */
export function sha256Hex(secret: string): string {
  return hash('sha256', secret, 'hex');
}
