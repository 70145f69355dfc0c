import { describe, expect, it } from 'vitest';
import { normalizeLinkUrl } from './linkUrl.js';

describe('normalizeLinkUrl', () => {
  it('accepts http, https and mailto', () => {
    expect(normalizeLinkUrl('https://europa.eu/vet')).toBe('https://europa.eu/vet');
    expect(normalizeLinkUrl('  http://example.org  ')).toBe('http://example.org');
    expect(normalizeLinkUrl('HTTPS://EUROPA.EU')).toBe('HTTPS://EUROPA.EU');
    expect(normalizeLinkUrl('mailto:rapporteur@example.org')).toBe('mailto:rapporteur@example.org');
  });

  it('completes bare web and e-mail addresses', () => {
    expect(normalizeLinkUrl('europa.eu/education')).toBe('https://europa.eu/education');
    expect(normalizeLinkUrl('name@example.org')).toBe('mailto:name@example.org');
  });

  it('refuses every other scheme and anything that is not an address', () => {
    for (const bad of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      'file:///etc/passwd',
      'ftp://example.org',
      '',
      '   ',
      'not a url',
      'localhost',
      '/relative/path',
      '//evil.example',
      'https://',
      'mailto:',
    ]) {
      expect(normalizeLinkUrl(bad), bad).toBeNull();
    }
  });
});
