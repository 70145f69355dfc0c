import { createHash, randomUUID } from 'node:crypto';
import { hashPassword } from '../auth/passwords.js';
import type { StoredUser } from '../storage/AccountStore.js';

/** Caret and avatar colours with enough contrast for white text (WCAG AA at normal size). */
export const USER_COLORS = ['#1f5fa8', '#a8321f', '#1f7a4d', '#7a3fa8', '#a8641f', '#1f7a7a', '#8a1f5f', '#4d5a1f'] as const;

/** A stable colour per user id, so the same person keeps their colour without storing a choice. */
export function colorFor(userId: string): string {
  const digest = createHash('sha256').update(userId).digest();
  return USER_COLORS[digest[0]! % USER_COLORS.length]!;
}

export interface NewUserInput {
  email: string;
  name: string;
  /** null: an account that cannot sign in with a password (until one is set). */
  password: string | null;
  isAdmin?: boolean;
  color?: string;
}

/** A user record ready to store: new id, lower-case email, scrypt hash of the password. */
export async function buildUser(input: NewUserInput, now: Date): Promise<StoredUser> {
  const id = randomUUID();
  return {
    id,
    email: input.email.trim().toLowerCase(),
    name: input.name.trim(),
    color: input.color?.toLowerCase() ?? colorFor(id),
    isAdmin: input.isAdmin ?? false,
    active: true,
    createdAt: now.toISOString(),
    passwordHash: input.password === null ? null : await hashPassword(input.password),
  };
}
