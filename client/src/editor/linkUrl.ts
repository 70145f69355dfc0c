import { ALLOWED_LINK_PROTOCOLS } from '../../../shared/schema/index.js';

/**
 * Turns what a person typed into the link prompt into a safe href, or null to refuse it.
 * Only http, https and mailto are links (the document model refuses the rest too, but telling
 * the person at the prompt beats a link that silently does not appear). A bare address such
 * as `europa.eu/vet` becomes https, and a bare e-mail address becomes mailto.
 */
export function normalizeLinkUrl(input: string): string | null {
  const value = input.trim();
  if (value === '' || /\s/.test(value)) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value);
  if (scheme) {
    const protocol = scheme[1]!.toLowerCase();
    if (!(ALLOWED_LINK_PROTOCOLS as readonly string[]).includes(protocol)) return null;
    if (protocol === 'mailto') return /^mailto:[^@\s]+@[^@\s]+$/i.test(value) ? value : null;
    return isHttpUrl(value) ? value : null;
  }
  if (/^[^@/\s]+@[^@\s/]+\.[^@\s/]+$/.test(value)) return `mailto:${value}`;
  // `//host` and paths are not accepted: a link in a shared document must say where it goes.
  if (value.startsWith('/')) return null;
  const candidate = `https://${value}`;
  return isHttpUrl(candidate) && new URL(candidate).hostname.includes('.') ? candidate : null;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}
