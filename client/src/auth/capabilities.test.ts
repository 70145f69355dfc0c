import { describe, expect, it } from 'vitest';
import { GROUP_ROLES, type GroupStanding } from '../../../shared/domain/index.js';
import { documentMode, groupCapabilities, memberRowControls, standingLabel } from './capabilities.js';

const STANDINGS: GroupStanding[] = ['admin', ...GROUP_ROLES, null];

describe('groupCapabilities', () => {
  it('follows the roles table', () => {
    const table = Object.fromEntries(STANDINGS.map((s) => [String(s), groupCapabilities(s)]));
    expect(table).toEqual({
      admin: { canView: true, canEdit: true, canManageMembers: true },
      rapporteur: { canView: true, canEdit: true, canManageMembers: true },
      member: { canView: true, canEdit: true, canManageMembers: false },
      reader: { canView: true, canEdit: false, canManageMembers: false },
      null: { canView: false, canEdit: false, canManageMembers: false },
    });
  });

  it('never offers changes to a read-only token, whatever the role', () => {
    for (const standing of STANDINGS) {
      const caps = groupCapabilities(standing, 'read');
      expect(caps.canEdit).toBe(false);
      expect(caps.canManageMembers).toBe(false);
    }
  });
});

describe('standingLabel', () => {
  it('names every standing', () => {
    expect(STANDINGS.map(standingLabel)).toEqual(['Admin', 'Rapporteur', 'Member', 'Reader', null]);
  });
});

describe('documentMode', () => {
  it('opens for editing only when the server says edit', () => {
    expect(documentMode('edit')).toBe('edit');
    expect(documentMode('read')).toBe('read');
    expect(documentMode(undefined)).toBe('read');
    expect(documentMode('edit', 'read')).toBe('read');
  });
});

describe('memberRowControls', () => {
  it('gives managers controls on other rows only, admins everywhere', () => {
    expect(memberRowControls('rapporteur', false)).toEqual({ canChangeRole: true, canRemove: true });
    expect(memberRowControls('rapporteur', true)).toEqual({ canChangeRole: false, canRemove: false });
    expect(memberRowControls('admin', true)).toEqual({ canChangeRole: true, canRemove: true });
    expect(memberRowControls('member', false)).toEqual({ canChangeRole: false, canRemove: false });
    expect(memberRowControls('reader', false)).toEqual({ canChangeRole: false, canRemove: false });
    expect(memberRowControls(null, false)).toEqual({ canChangeRole: false, canRemove: false });
  });
});
