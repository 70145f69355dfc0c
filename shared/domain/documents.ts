import { z } from 'zod';
import './zodConfig.js';

export const DOCUMENT_KINDS = ['follow-up', 'working-draft', 'publication', 'report'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  'follow-up': 'Meeting follow-up',
  'working-draft': 'Working draft',
  publication: 'Publication',
  report: 'Road map / report',
};

export const MEETING_TYPES = ['preliminary', 'group-meeting', 'expert-group-meeting'] as const;
export type MeetingType = (typeof MEETING_TYPES)[number];

export const MEETING_TYPE_LABELS: Record<MeetingType, string> = {
  preliminary: 'Preliminary meeting',
  'group-meeting': 'Group meeting',
  'expert-group-meeting': 'Expert group meeting',
};

/** Document states; transitions arrive with the publication workflow. */
export const DOCUMENT_STATES = ['draft', 'review', 'final'] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];

/** An ISO calendar date, checked for being a real day (2022-02-30 is refused). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'must be a real calendar date');

const title = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const meetingSchema = z.object({
  date: isoDate,
  type: z.enum(MEETING_TYPES),
  place: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
});
export type Meeting = z.infer<typeof meetingSchema>;

/** Body of `POST /api/groups/:groupId/documents`. Follow-ups must say which meeting they follow. */
export const createDocumentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('follow-up'), title, meeting: meetingSchema }).strict(),
  z.object({ kind: z.literal('working-draft'), title }).strict(),
  z.object({ kind: z.literal('publication'), title }).strict(),
  z.object({ kind: z.literal('report'), title }).strict(),
]);
export type CreateDocumentInput = z.infer<typeof createDocumentSchema>;

/** Body of `PATCH /api/documents/:documentId`: only the metadata a person edits by hand. */
export const patchDocumentSchema = z
  .object({ title: title.optional(), meeting: meetingSchema.partial().optional() })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');
export type PatchDocumentInput = z.infer<typeof patchDocumentSchema>;

export interface DocumentMeta {
  id: string;
  groupId: string;
  kind: DocumentKind;
  title: string;
  state: DocumentState;
  /** Present for follow-ups only. */
  meeting?: Meeting;
  createdAt: string;
  /** Last time the content or the metadata changed (ISO timestamp). */
  updatedAt: string;
}
