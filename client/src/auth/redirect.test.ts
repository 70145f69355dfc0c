import { describe, expect, it } from 'vitest';
import { safeReturnPath, signInHref } from './redirect.js';

describe('safeReturnPath', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeReturnPath('/documents/3f0c2a9e')).toBe('/documents/3f0c2a9e');
    expect(safeReturnPath('/groups/digital-transition?tab=members#invites')).toBe('/groups/digital-transition?tab=members#invites');
    expect(safeReturnPath('/')).toBe('/');
  });

  it('sends everything else home', () => {
    for (const raw of [
      null,
      undefined,
      '',
      'documents/x',
      'https://evil.example/',
      'http:/evil.example',
      '//evil.example/path',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/%0a/x\n',
      'javascript:alert(1)',
      ' /documents/x',
      `/${'a'.repeat(3000)}`,
    ]) {
      expect(safeReturnPath(raw), String(raw)).toBe('/');
    }
  });

  it('never returns to the sign-in page itself', () => {
    expect(safeReturnPath('/sign-in')).toBe('/');
    expect(safeReturnPath('/sign-in?next=/documents/x')).toBe('/');
  });

  it('normalises dot segments without leaving the site', () => {
    expect(safeReturnPath('/../../etc/passwd')).toBe('/etc/passwd');
    expect(safeReturnPath('/groups/./x/../y')).toBe('/groups/y');
  });
});

describe('signInHref', () => {
  it('carries the path to come back to', () => {
    expect(signInHref('/documents/abc?x=1')).toBe('/sign-in?next=%2Fdocuments%2Fabc%3Fx%3D1');
    expect(signInHref('/')).toBe('/sign-in');
    expect(signInHref('//evil.example')).toBe('/sign-in');
  });
});
