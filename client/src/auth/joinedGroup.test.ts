import { describe, expect, it } from 'vitest';
import { joinedGroupId } from './joinedGroup.js';

describe('joinedGroupId', () => {
  it('finds the new membership', () => {
    expect(joinedGroupId([{ groupId: 'a', role: 'member' }], [{ groupId: 'a', role: 'member' }, { groupId: 'b', role: 'reader' }])).toBe('b');
    expect(joinedGroupId([], [{ groupId: 'b', role: 'reader' }])).toBe('b');
  });

  it('finds a changed role, and nothing when nothing changed', () => {
    expect(joinedGroupId([{ groupId: 'a', role: 'reader' }], [{ groupId: 'a', role: 'member' }])).toBe('a');
    expect(joinedGroupId([{ groupId: 'a', role: 'member' }], [{ groupId: 'a', role: 'member' }])).toBeNull();
  });
});
