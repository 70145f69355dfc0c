import { describe, expect, it } from 'vitest';
import { formatMeeting, formatMeetingDate, formatRelativeTime } from './format.js';

describe('formatMeetingDate', () => {
  it('writes the day in words, without time-zone drift', () => {
    expect(formatMeetingDate('2022-09-08')).toBe('8 September 2022');
    expect(formatMeetingDate('2022-06-16')).toBe('16 June 2022');
    expect(formatMeetingDate('2023-01-01')).toBe('1 January 2023');
  });

  it('shows anything that is not a date as given', () => {
    expect(formatMeetingDate('soon')).toBe('soon');
  });
});

describe('formatMeeting', () => {
  it('joins date, type and place', () => {
    expect(formatMeeting({ date: '2022-09-21', type: 'expert-group-meeting', place: 'Brussels' })).toBe(
      '21 September 2022 · Expert group meeting · Brussels',
    );
  });
});

describe('formatRelativeTime', () => {
  const now = new Date('2024-05-10T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

  it('speaks like a person', () => {
    expect(formatRelativeTime(ago(10), now)).toBe('just now');
    expect(formatRelativeTime(ago(5 * 60), now)).toBe('5 minutes ago');
    expect(formatRelativeTime(ago(3 * 3600), now)).toBe('3 hours ago');
    expect(formatRelativeTime(ago(24 * 3600), now)).toBe('yesterday');
    expect(formatRelativeTime(ago(3 * 24 * 3600), now)).toBe('3 days ago');
    expect(formatRelativeTime(ago(14 * 24 * 3600), now)).toBe('2 weeks ago');
    expect(formatRelativeTime(ago(90 * 24 * 3600), now)).toBe('3 months ago');
    expect(formatRelativeTime(ago(800 * 24 * 3600), now)).toBe('2 years ago');
  });

  it('is empty for an unreadable timestamp', () => {
    expect(formatRelativeTime('garbage', now)).toBe('');
  });
});
