import { useEffect, useId, useRef, useState, type CSSProperties, type FormEvent } from 'react';
import { IDENTITY_COLORS, initials, MAX_NAME_LENGTH, normalizeName, randomIdentityColor, type Identity } from './identity.js';

interface Props {
  initial: Identity | null;
  onSave: (identity: Identity) => void;
  /** Absent on a first visit: a name is required before going on. */
  onCancel: (() => void) | undefined;
}

export function NameDialog({ initial, onSave, onCancel }: Props) {
  const [name, setName] = useState(initial?.name ?? '');
  const [color, setColor] = useState(() => initial?.color ?? randomIdentityColor());
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const hintId = useId();

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  useEffect(() => {
    if (!onCancel) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const clean = normalizeName(name);
    if (clean === '') {
      setError('Please enter the name others will see.');
      inputRef.current?.focus();
      return;
    }
    onSave({ name: clean, color });
  };

  const preview = normalizeName(name);

  return (
    <div className="dialog-backdrop">
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={hintId}
        data-testid="name-dialog"
        onSubmit={submit}
        noValidate
      >
        <h2 id={titleId} className="dialog__title">
          {initial ? 'Your name and colour' : 'Welcome to Roundtable'}
        </h2>
        <p id={hintId} className="dialog__hint">
          {initial
            ? 'Others see this name next to your cursor and in the list of people in a document.'
            : 'Choose the name others will see next to your cursor while you write together. You can change it later.'}
        </p>

        <label className="field">
          <span className="field__label">Display name</span>
          <input
            ref={inputRef}
            className="input"
            data-testid="name-dialog-input"
            value={name}
            maxLength={MAX_NAME_LENGTH}
            autoComplete="name"
            placeholder="e.g. Maria Rossi"
            aria-invalid={error !== null}
            onChange={(event) => {
              setName(event.target.value);
              setError(null);
            }}
          />
          {error && <span className="field__error">{error}</span>}
        </label>

        <fieldset className="field color-picker">
          <legend className="field__label">Colour</legend>
          <div className="color-picker__swatches">
            {IDENTITY_COLORS.map((swatch) => (
              <label key={swatch} className="color-picker__swatch" style={{ '--swatch': swatch } as CSSProperties}>
                <input
                  type="radio"
                  name="identity-color"
                  value={swatch}
                  checked={color === swatch}
                  onChange={() => setColor(swatch)}
                  aria-label={`Colour ${swatch}`}
                />
                <span aria-hidden="true" />
              </label>
            ))}
          </div>
        </fieldset>

        <div className="dialog__preview" aria-hidden="true">
          <span className="avatar" style={{ backgroundColor: color }}>
            {initials(preview)}
          </span>
          <span className="dialog__preview-caret" style={{ borderColor: color }}>
            <span className="dialog__preview-label" style={{ backgroundColor: color }}>
              {preview || 'Your name'}
            </span>
          </span>
        </div>

        <div className="dialog__actions">
          {onCancel && (
            <button type="button" className="button button--ghost" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="button button--primary" data-testid="name-dialog-save">
            {initial ? 'Save' : 'Continue'}
          </button>
        </div>
      </form>
    </div>
  );
}
