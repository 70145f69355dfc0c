/**
 * Who is typing, until accounts exist: a display name and a colour the person picks once,
 * kept in this browser's localStorage and published on the awareness `user` field as
 * `{ name, color }` (the shape CollaborationCaret renders).
 */
export interface Identity {
  name: string;
  /** `#rrggbb`: CollaborationCaret draws carets only for six-digit hex colours. */
  color: string;
}

export const IDENTITY_STORAGE_KEY = 'roundtable.identity';
export const MAX_NAME_LENGTH = 40;

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

export function isValidIdentity(value: unknown): value is Identity {
  if (typeof value !== 'object' || value === null) return false;
  const { name, color } = value as Record<string, unknown>;
  return typeof name === 'string' && normalizeName(name).length > 0 && typeof color === 'string' && HEX_COLOR.test(color);
}

/** Parses what localStorage holds; anything unexpected means "not chosen yet". */
export function parseIdentity(raw: string | null): Identity | null {
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (!isValidIdentity(value)) return null;
    return { name: normalizeName(value.name), color: value.color.toLowerCase() };
  } catch {
    return null;
  }
}

export function loadIdentity(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Identity | null {
  try {
    return parseIdentity(storage?.getItem(IDENTITY_STORAGE_KEY) ?? null);
  } catch {
    // Storage can throw when disabled (privacy settings); then the person picks again.
    return null;
  }
}

export function saveIdentity(identity: Identity, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(IDENTITY_STORAGE_KEY, JSON.stringify(identity));
  } catch {
    // Not fatal: the identity still applies for this tab.
  }
}

/** A colour for a newcomer, so two people opening at once are unlikely to share one. */
export function randomIdentityColor(random: () => number = Math.random): string {
  const index = Math.floor(random() * IDENTITY_COLORS.length) % IDENTITY_COLORS.length;
  return IDENTITY_COLORS[index] ?? IDENTITY_COLORS[0];
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
