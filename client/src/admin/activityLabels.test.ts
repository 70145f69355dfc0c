import { describe, expect, it } from 'vitest';
import { ACTIVITY_TYPES } from '../../../shared/domain/index.js';
import { activityDetails, activityLabel, activityTone } from './activityLabels.js';

describe('activity labels', () => {
  it('names every activity type, and shows unknown ones as they are', () => {
    for (const type of ACTIVITY_TYPES) expect(activityLabel(type)).not.toBe(type);
    expect(activityLabel('something.new')).toBe('something.new');
  });

  it('flags what an admin should look at', () => {
    expect(activityTone('auth.sign-in-failed')).toBe('warning');
    expect(activityTone('auth.sign-in')).toBe('normal');
  });

  it('writes details for people and never shows secret-looking keys', () => {
    expect(activityDetails({ details: { fromRole: 'member', toRole: 'reader', passwordHash: 'x', inviteSecret: 'y', apiToken: 'z', tokenId: 't1', note: null } })).toEqual([
      'from role: member',
      'to role: reader',
    ]);
    expect(activityDetails({})).toEqual([]);
  });
});
