/**
 * How a person appears to others: the account's display name and colour (from `/api/me`, the
 * same the server stamps on the awareness `user` field), drawn as an avatar with initials and
 * as a named caret.
 */
export interface Identity {
  name: string;
  /** `#rrggbb`: CollaborationCaret draws carets only for six-digit hex colours. */
  color: string;
}

/** Display names are at most this long in the profile form (the server allows 80). */
export const MAX_NAME_LENGTH = 80;

/** Caret and avatar colours: saturated enough for a 2px caret, dark enough for white initials. */
export const IDENTITY_COLORS = [
  '#1d4ed8', // blue
  '#0f766e', // teal
  '#15803d', // green
  '#a16207', // ochre
  '#c2410c', // orange
  '#b91c1c', // red
  '#be185d', // pink
  '#7e22ce', // purple
  '#4338ca', // indigo
  '#475569', // slate
] as const;

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export function normalizeName(name: string): string {
  return name.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && HEX_COLOR.test(value);
}

export function isValidIdentity(value: unknown): value is Identity {
  if (typeof value !== 'object' || value === null) return false;
  const { name, color } = value as Record<string, unknown>;
  return typeof name === 'string' && normalizeName(name).length > 0 && isHexColor(color);
}

/** "Maria van der Berg" → "MB", "Ana" → "AN", "  " → "?". */
export function initials(name: string): string {
  const words = normalizeName(name).split(' ').filter(Boolean);
  const first = words[0];
  if (!first) return '?';
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  const letters = last ? [...first].slice(0, 1).concat([...last].slice(0, 1)) : [...first].slice(0, 2);
  return letters.join('').toUpperCase();
}
