import { useState, type FormEvent } from 'react';
import type { PublicUser } from '../../../shared/domain/index.js';
import { api } from '../api/client.js';
import { useAuth } from '../auth/AuthContext.js';
import { ColorPicker } from '../components/ColorPicker.js';
import { describeError } from '../components/ErrorState.js';
import { MAX_NAME_LENGTH, normalizeName } from '../identity/identity.js';

/** Name and colour: what others see on your caret and avatar. */
export function ProfileForm({ user }: { user: PublicUser }) {
  const { updateUser } = useAuth();
  const [name, setName] = useState(user.name);
  const [color, setColor] = useState(user.color.toLowerCase());
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const clean = normalizeName(name);
  const changed = clean !== user.name || color !== user.color.toLowerCase();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (clean === '') {
      setMessage({ tone: 'error', text: 'Please enter the name others will see.' });
      return;
    }
    setSaving(true);
    setMessage(null);
    try {
      const saved = await api.patchMe({ ...(clean !== user.name ? { name: clean } : {}), ...(color !== user.color.toLowerCase() ? { color } : {}) });
      updateUser(saved);
      setName(saved.name);
      setMessage({ tone: 'ok', text: 'Saved. Documents you open from now on show the new name and colour.' });
    } catch (cause) {
      setMessage({ tone: 'error', text: `Not saved: ${describeError(cause)}` });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="panel settings-section" onSubmit={(e) => void submit(e)} noValidate data-testid="profile-form" aria-labelledby="profile-heading">
      <div className="settings-section__intro">
        <h2 id="profile-heading" className="settings-section__title">
          Name and colour
        </h2>
        <p className="settings-section__hint">Others see these next to your cursor and in the list of people in a document.</p>
      </div>
      <div className="settings-section__body">
        <label className="field">
          <span className="field__label">Display name</span>
          <input
            className="input"
            value={name}
            maxLength={MAX_NAME_LENGTH}
            autoComplete="name"
            onChange={(e) => {
              setName(e.target.value);
              setMessage(null);
            }}
            data-testid="profile-name"
          />
        </label>
        <ColorPicker value={color} onChange={setColor} name="profile-color" />
        <div className="caret-preview" aria-hidden="true">
          <span className="caret-preview__text">The group recommends</span>
          <span className="caret-preview__caret" style={{ borderColor: color }}>
            <span className="caret-preview__label" style={{ backgroundColor: color }}>
              {clean || 'Your name'}
            </span>
          </span>
        </div>
        {message && (
          <p className={message.tone === 'ok' ? 'form-success' : 'form-error'} role={message.tone === 'ok' ? 'status' : 'alert'} data-testid="profile-message">
            {message.text}
          </p>
        )}
        <div className="settings-section__actions">
          <button type="submit" className="button button--primary" disabled={saving || !changed} data-testid="profile-save">
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </div>
    </form>
  );
}
