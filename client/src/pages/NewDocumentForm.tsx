import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import {
  createDocumentSchema,
  DOCUMENT_KIND_LABELS,
  DOCUMENT_KINDS,
  MEETING_TYPE_LABELS,
  MEETING_TYPES,
  type DocumentKind,
  type MeetingType,
} from '../../../shared/domain/index.js';
import { ApiError, api, fieldErrorsFrom } from '../api/client.js';

interface Props {
  groupId: string;
  onCancel: () => void;
}

type Errors = Record<string, string>;

/** Places the network meets in; any other city can be typed. */
const PLACE_SUGGESTIONS = ['Online', 'Brussels', 'Tirana', 'Pristina', 'Podgorica', 'Skopje', 'Sarajevo', 'Belgrade'];

function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Creates a document and opens it. The server fills in the starting content from a template;
 * this form only sends the metadata. The same zod schema the server uses checks the input
 * first, and the server's own validation errors are shown next to the fields as well.
 */
export function NewDocumentForm({ groupId, onCancel }: Props) {
  const navigate = useNavigate();
  const [kind, setKind] = useState<DocumentKind>('follow-up');
  const [title, setTitle] = useState('');
  const [date, setDate] = useState(todayIso);
  const [meetingType, setMeetingType] = useState<MeetingType>('group-meeting');
  const [place, setPlace] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);

  useEffect(() => titleRef.current?.focus(), []);

  const isFollowUp = kind === 'follow-up';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const candidate = isFollowUp ? { kind, title, meeting: { date, type: meetingType, place } } : { kind, title };
    const parsed = createDocumentSchema.safeParse(candidate);
    if (!parsed.success) {
      setErrors(fieldErrorsFrom(parsed.error.issues));
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      const document = await api.createDocument(groupId, parsed.data);
      void navigate(`/documents/${encodeURIComponent(document.id)}`);
    } catch (error) {
      setSubmitting(false);
      if (error instanceof ApiError) {
        const fields = fieldErrorsFrom(error.details);
        const known = Object.keys(fields).filter((key) => FIELD_KEYS.includes(key));
        setErrors(fields);
        if (known.length === 0) setFormError(error.message);
      } else {
        setFormError('The document could not be created. Please try again.');
      }
    }
  };

  const error = (key: string) =>
    errors[key] ? (
      <span className="field__error" id={`new-doc-${key}-error`}>
        {sentence(errors[key])}
      </span>
    ) : null;
  const invalid = (key: string) => ({
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': errors[key] ? `new-doc-${key}-error` : undefined,
  });

  return (
    <form className="new-document" data-testid="new-document-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3 className="new-document__title">New document</h3>
      <div className="form-grid">
        <label className="field">
          <span className="field__label">Kind</span>
          <select
            className="input"
            name="kind"
            data-testid="new-document-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as DocumentKind)}
            {...invalid('kind')}
          >
            {DOCUMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {DOCUMENT_KIND_LABELS[k]}
              </option>
            ))}
          </select>
          {error('kind')}
        </label>

        <label className="field field--wide">
          <span className="field__label">Title</span>
          <input
            ref={titleRef}
            className="input"
            name="title"
            data-testid="new-document-title"
            value={title}
            maxLength={200}
            placeholder={isFollowUp ? 'e.g. Follow-up of the group meeting on green skills' : 'Title'}
            onChange={(e) => setTitle(e.target.value)}
            {...invalid('title')}
          />
          {error('title')}
        </label>

        {isFollowUp && (
          <>
            <label className="field">
              <span className="field__label">Meeting date</span>
              <input
                className="input"
                type="date"
                name="meetingDate"
                data-testid="new-document-date"
                value={date}
                onChange={(e) => setDate(e.target.value)}
                {...invalid('meeting.date')}
              />
              {error('meeting.date')}
            </label>
            <label className="field">
              <span className="field__label">Meeting type</span>
              <select
                className="input"
                name="meetingType"
                data-testid="new-document-meeting-type"
                value={meetingType}
                onChange={(e) => setMeetingType(e.target.value as MeetingType)}
                {...invalid('meeting.type')}
              >
                {MEETING_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {MEETING_TYPE_LABELS[t]}
                  </option>
                ))}
              </select>
              {error('meeting.type')}
            </label>
            <label className="field">
              <span className="field__label">Place</span>
              <input
                className="input"
                name="place"
                list="meeting-places"
                data-testid="new-document-place"
                value={place}
                maxLength={100}
                placeholder="Online or a city"
                onChange={(e) => setPlace(e.target.value)}
                {...invalid('meeting.place')}
              />
              <datalist id="meeting-places">
                {PLACE_SUGGESTIONS.map((p) => (
                  <option key={p} value={p} />
                ))}
              </datalist>
              {error('meeting.place')}
            </label>
          </>
        )}
      </div>

      {(formError || errors['']) && (
        <p className="form-error" role="alert" data-testid="new-document-error">
          {formError ?? errors['']}
        </p>
      )}

      <div className="new-document__actions">
        <button type="button" className="button button--ghost" onClick={onCancel} disabled={submitting}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" data-testid="new-document-submit" disabled={submitting}>
          {submitting ? 'Creating…' : 'Create and open'}
        </button>
      </div>
    </form>
  );
}

const FIELD_KEYS = ['kind', 'title', 'meeting.date', 'meeting.type', 'meeting.place'];

/** Validation messages are written to follow a field name ("must not be empty"). */
function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
