import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { DocumentMeta } from '../../../shared/domain/index.js';
import { api } from '../api/client.js';
import { describeError } from '../components/ErrorState.js';

interface Props {
  document: DocumentMeta;
  onSaved: (document: DocumentMeta) => void;
  disabled?: boolean;
  /** The person may not change the document: the title is shown as a heading, not a field. */
  readOnly?: boolean;
}

/**
 * The document's title, edited in place: saved (PATCH) when the field loses focus or on
 * Enter; Escape puts the saved title back. A textarea rather than an input so that long
 * titles wrap like a heading instead of scrolling out of sight.
 */
export function DocumentTitle({ document, onSaved, disabled, readOnly = false }: Props) {
  const [value, setValue] = useState(document.title);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const focused = useRef(false);

  // Follow the server's title unless the person is in the middle of changing it.
  useEffect(() => {
    if (!focused.current) setValue(document.title);
  }, [document.title]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [value]);

  const commit = async () => {
    const title = value.replace(/\s+/g, ' ').trim();
    if (title === document.title) {
      setValue(document.title);
      return;
    }
    if (title === '') {
      setValue(document.title);
      setError('A document needs a title; the previous one was kept.');
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const saved = await api.patchDocument(document.id, { title });
      onSaved(saved);
      if (!focused.current) setValue(saved.title);
    } catch (cause) {
      setError(`The title was not saved: ${describeError(cause)}`);
      setValue(document.title);
    } finally {
      setSaving(false);
    }
  };

  if (readOnly) {
    return (
      <div className="doc-title">
        <h1 className="doc-title__text" data-testid="doc-title">
          {document.title}
        </h1>
      </div>
    );
  }

  return (
    <div className="doc-title">
      <textarea
        ref={ref}
        className="doc-title__input"
        data-testid="doc-title"
        aria-label="Document title"
        rows={1}
        maxLength={200}
        value={value}
        disabled={disabled}
        spellCheck
        onFocus={() => {
          focused.current = true;
        }}
        onChange={(event) => {
          setValue(event.target.value.replace(/\n/g, ' '));
          setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            event.currentTarget.blur();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            setValue(document.title);
            // Blur after React applied the reset, so the blur does not save the edited text.
            requestAnimationFrame(() => ref.current?.blur());
          }
        }}
        onBlur={() => {
          focused.current = false;
          void commit();
        }}
      />
      {saving && <span className="doc-title__note">Saving title…</span>}
      {error && (
        <span className="doc-title__note doc-title__note--error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
