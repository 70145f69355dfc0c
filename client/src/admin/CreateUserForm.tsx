import { useState, type FormEvent } from 'react';
import { passwordSchema, type PublicUser } from '../../../shared/domain/index.js';
import { ApiError, api, fieldErrorsFrom } from '../api/client.js';
import { CopyField } from '../components/CopyField.js';
import { describeError } from '../components/ErrorState.js';
import { normalizeName } from '../identity/identity.js';
import { generatePassword } from './password.js';

/** Creates an account with a starting password the admin passes on (or an invitation instead). */
export function CreateUserForm({ onCreated, onCancel }: { onCreated: (user: PublicUser) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState(() => generatePassword());
  const [isAdmin, setIsAdmin] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<{ user: PublicUser; password: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = passwordSchema.safeParse(password);
    if (normalizeName(name) === '') return setError('Enter the person’s name.');
    if (email.trim() === '') return setError('Enter the person’s email address.');
    if (!checked.success) return setError(`The password ${checked.error.issues[0]?.message ?? 'is not valid'}.`);
    setSaving(true);
    setError(null);
    try {
      const user = await api.createUser({ name: normalizeName(name), email: email.trim(), password, ...(isAdmin ? { isAdmin } : {}) });
      setCreated({ user, password });
      onCreated(user);
    } catch (cause) {
      const fields = cause instanceof ApiError ? fieldErrorsFrom(cause.details) : {};
      const first = Object.entries(fields)[0];
      setError(first ? `${first[0] || 'Input'} ${first[1]}.` : `The account was not created: ${describeError(cause)}`);
    } finally {
      setSaving(false);
    }
  };

  if (created) {
    return (
      <div className="subpanel once-box" data-testid="user-created" role="status">
        <p className="once-box__title">
          Account created for {created.user.name} ({created.user.email})
        </p>
        <CopyField value={created.password} label="Starting password" testId="user-created-password" />
        <p className="once-box__hint">Pass the password on through a separate channel; they can change it on their profile page.</p>
        <div className="settings-section__actions">
          <button type="button" className="button" onClick={onCancel}>
            Done
          </button>
        </div>
      </div>
    );
  }

  return (
    <form className="subpanel" onSubmit={(e) => void submit(e)} noValidate data-testid="create-user-form">
      <h3 className="subpanel__title">New account</h3>
      <div className="form-grid">
        <label className="field">
          <span className="field__label">Name</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" data-testid="create-user-name" />
        </label>
        <label className="field field--wide">
          <span className="field__label">Email address</span>
          <input className="input" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" data-testid="create-user-email" />
        </label>
        <label className="field field--wide">
          <span className="field__label">Starting password</span>
          <span className="input-with-button">
            <input className="input input--mono" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" spellCheck={false} data-testid="create-user-password" />
            <button type="button" className="button" onClick={() => setPassword(generatePassword())}>
              New
            </button>
          </span>
        </label>
        <label className="checkbox-field">
          <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} data-testid="create-user-admin" />
          <span>Workspace administrator</span>
        </label>
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="create-user-error">
          {error}
        </p>
      )}
      <div className="new-document__actions">
        <button type="button" className="button button--ghost" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={saving} data-testid="create-user-submit">
          {saving ? 'Creating…' : 'Create account'}
        </button>
      </div>
    </form>
  );
}
