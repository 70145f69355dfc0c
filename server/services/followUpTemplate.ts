import type { JSONContent } from '@tiptap/core';
import { MEETING_TYPE_LABELS, type CreateDocumentInput, type Meeting } from '../../shared/domain/index.js';
import { bulletList, doc, heading, italic, orderedList, paragraph, recommendation, type InlinePart } from './documentContent.js';

/**
 * The structure a new document starts with. The title is not repeated in the body (it lives in
 * the metadata and the page shows it), so every template starts with what a reader needs next.
 * Guidance is written in italics so a rapporteur sees at a glance what still has to be replaced.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2022-09-08` → `8 September 2022`, the way the network writes meeting dates. */
export function formatMeetingDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  const monthName = month === undefined ? undefined : MONTHS[month - 1];
  if (year === undefined || day === undefined || monthName === undefined) return isoDate;
  return `${day} ${monthName} ${year}`;
}

function formatPlace(place: string): string {
  return place.trim().toLowerCase() === 'online' ? 'Online' : place.trim();
}

/** The first line of a follow-up: "Group meeting · 8 September 2022 · Online". */
export function meetingLine(meeting: Meeting): JSONContent {
  return paragraph(
    { text: MEETING_TYPE_LABELS[meeting.type], bold: true },
    ` · ${formatMeetingDate(meeting.date)} · ${formatPlace(meeting.place)}`,
  );
}

function guidance(...parts: InlinePart[]): JSONContent {
  return paragraph(...parts.map((part) => (typeof part === 'string' ? italic(part) : { ...part, italic: true })));
}

/** The sections of every follow-up, in order (the seed documents use the same ones). */
export const FOLLOW_UP_SECTIONS = ['Participants', 'Agenda', 'Discussion', 'Conclusions', 'Follow-up actions'] as const;

export function followUpTemplate(meeting: Meeting): JSONContent {
  const [participants, agenda, discussion, conclusions, actions] = FOLLOW_UP_SECTIONS;
  return doc(
    meetingLine(meeting),
    heading(2, participants),
    guidance('Everyone who attended, with their organisation and country. List apologies separately.'),
    bulletList(['Name (Organisation, Country) — chair', 'Name (Organisation, Country) — rapporteur', 'Name (Organisation, Country)']),
    heading(2, agenda),
    orderedList([
      'Welcome and tour de table',
      'Approval of the agenda and of the previous follow-up summary',
      'Topic 1',
      'Topic 2',
      'Next steps and date of the next meeting',
    ]),
    heading(2, discussion),
    guidance(
      'Summarise the discussion point by point, following the agenda. Record the positions, practices and examples shared by VET providers rather than a verbatim transcript; name organisations only with their agreement.',
    ),
    heading(2, conclusions),
    guidance('What the group agreed. A conclusion meant for the policy publication is best written as a recommendation: statement, addressee, rationale.'),
    heading(2, actions),
    bulletList(['Action — who — by when']),
  );
}

export function workingDraftTemplate(): JSONContent {
  return doc(
    heading(2, 'Purpose'),
    guidance('What this draft is for and which meeting or publication it feeds.'),
    heading(2, 'Background'),
    guidance('Context, sources and what the group has already agreed.'),
    heading(2, 'Draft text'),
    paragraph(),
    heading(2, 'Open questions'),
    bulletList(['Question — who can answer it']),
  );
}

export function publicationTemplate(): JSONContent {
  return doc(
    heading(2, 'Introduction'),
    guidance('Who wrote this publication, on which topics, and how the expert groups worked (meetings, follow-ups, peer learning).'),
    heading(2, 'Main findings'),
    guidance('One subsection per topic: the challenges VET providers reported and the practices that worked.'),
    heading(2, 'Recommendations to the European Commission'),
    guidance('Numbered recommendations, each with its addressee and rationale. Keep each statement to one sentence a policymaker can act on.'),
    orderedList([
      recommendation('Recommendation statement.', 'European Commission', 'Why this is needed, with the evidence from the groups.'),
      recommendation('Recommendation statement.', 'Member States', 'Why this is needed, with the evidence from the groups.'),
    ]),
    heading(2, 'Conclusion'),
    paragraph(),
  );
}

export function reportTemplate(): JSONContent {
  return doc(
    heading(2, 'Summary'),
    guidance('The essentials in five lines.'),
    heading(2, 'Context'),
    paragraph(),
    heading(2, 'Activities'),
    bulletList(['Activity — date — place']),
    heading(2, 'Findings'),
    paragraph(),
    heading(2, 'Next steps'),
    bulletList(['Step — who — by when']),
  );
}

/** The starting content of a document created through the API. */
export function templateFor(input: CreateDocumentInput): JSONContent {
  switch (input.kind) {
    case 'follow-up':
      return followUpTemplate(input.meeting);
    case 'working-draft':
      return workingDraftTemplate();
    case 'publication':
      return publicationTemplate();
    case 'report':
      return reportTemplate();
  }
}
