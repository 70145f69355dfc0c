import { MEETING_TYPE_LABELS, type Meeting } from '../../../shared/domain/index.js';

/** The interface is written in (British) English; dates read "8 September 2022". */
export const LOCALE = 'en-GB';

const meetingDateFormat = new Intl.DateTimeFormat(LOCALE, {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  // A meeting date is a calendar day, not an instant: format it in UTC so that no time zone
  // moves it to the day before.
  timeZone: 'UTC',
});

const fullDateTimeFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'long', timeStyle: 'short' });

/** "2022-09-08" → "8 September 2022"; anything else is shown as given. */
export function formatMeetingDate(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(isoDate) && !Number.isNaN(date.getTime()) ? meetingDateFormat.format(date) : isoDate;
}

/** "8 September 2022 · Group meeting · Online" */
export function formatMeeting(meeting: Meeting): string {
  return [formatMeetingDate(meeting.date), MEETING_TYPE_LABELS[meeting.type] ?? meeting.type, meeting.place].join(' · ');
}

/** For tooltips next to a relative time. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : fullDateTimeFormat.format(date);
}

const relativeFormat = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto' });

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago". */
export function formatRelativeTime(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return '';
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relativeFormat.format(Math.round(seconds / size), unit);
  }
  return relativeFormat.format(Math.round(seconds / 60), 'minute');
}
