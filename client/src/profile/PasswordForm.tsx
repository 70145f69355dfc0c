import { useState, type FormEvent } from 'react';
import { passwordSchema } from '../../../shared/domain/index.js';
import { ApiError, api } from '../api/client.js';
import { describeError } from '../components/ErrorState.js';

/** Change the password; the current one is asked for so an unattended session cannot. */
export function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = passwordSchema.safeParse(next);
    if (current === '') return setMessage({ tone: 'error', text: 'Enter your current password.' });
    if (!checked.success) return setMessage({ tone: 'error', text: `The new password ${checked.error.issues[0]?.message ?? 'is not valid'}.` });
    if (next !== confirm) return setMessage({ tone: 'error', text: 'The two new passwords are not the same.' });
    setSaving(true);
    setMessage(null);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setConfirm('');
      setMessage({ tone: 'ok', text: 'Your password was changed.' });
    } catch (cause) {
      const wrong = cause instanceof ApiError && (cause.code === 'INVALID_CREDENTIALS' || cause.status === 403);
      setMessage({ tone: 'error', text: wrong ? 'The current password is not right.' : `Not changed: ${describeError(cause)}` });
    } finally {
      setSaving(false);
    }
  };

  const input = (label: string, value: string, onChange: (v: string) => void, autoComplete: string, testId: string) => (
    <label className="field">
      <span className="field__label">{label}</span>
      <input
        className="input"
        type="password"
        value={value}
        autoComplete={autoComplete}
        onChange={(e) => {
          onChange(e.target.value);
          setMessage(null);
        }}
        data-testid={testId}
      />
    </label>
  );

  return (
    <form className="panel settings-section" onSubmit={(e) => void submit(e)} noValidate data-testid="password-form" aria-labelledby="password-heading">
      <div className="settings-section__intro">
        <h2 id="password-heading" className="settings-section__title">
          Password
        </h2>
        <p className="settings-section__hint">At least 10 characters. A passphrase of a few unrelated words is long and easy to remember.</p>
      </div>
      <div className="settings-section__body">
        {input('Current password', current, setCurrent, 'current-password', 'password-current')}
        <div className="field-pair">
          {input('New password', next, setNext, 'new-password', 'password-new')}
          {input('New password again', confirm, setConfirm, 'new-password', 'password-confirm')}
        </div>
        {message && (
          <p className={message.tone === 'ok' ? 'form-success' : 'form-error'} role={message.tone === 'ok' ? 'status' : 'alert'} data-testid="password-message">
            {message.text}
          </p>
        )}
        <div className="settings-section__actions">
          <button type="submit" className="button button--primary" disabled={saving} data-testid="password-save">
            {saving ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </div>
    </form>
  );
}
