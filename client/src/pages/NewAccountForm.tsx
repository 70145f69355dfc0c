import { useState, type FormEvent } from 'react';
import { passwordSchema } from '../../../shared/domain/index.js';
import { ApiError, fieldErrorsFrom, type NewAccount } from '../api/client.js';
import { normalizeName } from '../identity/identity.js';

interface Props {
  onSubmit: (account: NewAccount) => Promise<void>;
  errorMessage: (error: unknown) => string;
}

type Field = 'name' | 'email' | 'password' | 'confirm';

const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/**
 * Name, email and password for a new account (from an invitation). The password rule is the
 * server's own schema, so the form says exactly what the server would.
 */
export function NewAccountForm({ onSubmit, errorMessage }: Props) {
  const [values, setValues] = useState<Record<Field, string>>({ name: '', email: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<Partial<Record<Field | 'form', string>>>({});
  const [submitting, setSubmitting] = useState(false);

  const set = (field: Field) => (event: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [field]: event.target.value }));
    setErrors((e) => ({ ...e, [field]: undefined, form: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    const name = normalizeName(values.name);
    if (name === '') found.name = 'Enter the name others will see.';
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email.trim())) found.email = 'Enter a valid email address.';
    const password = passwordSchema.safeParse(values.password);
    if (!password.success) found.password = `The password ${password.error.issues[0]?.message ?? 'is not valid'}.`;
    else if (values.confirm !== values.password) found.confirm = 'The two passwords are not the same.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSubmitting(true);
    try {
      await onSubmit({ name, email: values.email.trim(), password: values.password });
    } catch (cause) {
      setSubmitting(false);
      const fields = cause instanceof ApiError ? fieldErrorsFrom(cause.details) : {};
      const known: Partial<Record<Field | 'form', string>> = {};
      for (const key of ['name', 'email', 'password'] as const) if (fields[key]) known[key] = sentence(fields[key]);
      if (Object.keys(known).length === 0) known.form = errorMessage(cause);
      setErrors(known);
    }
  };

  const field = (key: Field, label: string, type: string, autoComplete: string, hint?: string) => (
    <label className="field">
      <span className="field__label">{label}</span>
      <input
        className="input"
        type={type}
        name={key}
        autoComplete={autoComplete}
        value={values[key]}
        onChange={set(key)}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `account-${key}-error` : undefined}
        data-testid={`account-${key}`}
      />
      {errors[key] ? (
        <span className="field__error" id={`account-${key}-error`}>
          {errors[key]}
        </span>
      ) : (
        hint && <span className="field__hint">{hint}</span>
      )}
    </label>
  );

  return (
    <form className="auth-card__form" onSubmit={(e) => void submit(e)} noValidate data-testid="new-account-form">
      <h2 className="auth-card__subtitle">Create your account</h2>
      {field('name', 'Your name', 'text', 'name', 'Shown to others next to your cursor and in member lists.')}
      {field('email', 'Email address', 'email', 'email')}
      {field('password', 'Password', 'password', 'new-password', 'At least 10 characters; a passphrase of a few words is best.')}
      {field('confirm', 'Password again', 'password', 'new-password')}
      {errors.form && (
        <p className="form-error" role="alert" data-testid="new-account-error">
          {errors.form}
        </p>
      )}
      <button type="submit" className="button button--primary button--block" disabled={submitting} data-testid="new-account-submit">
        {submitting ? 'Creating your account…' : 'Create account and join'}
      </button>
    </form>
  );
}
