import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { useAuth } from '../auth/AuthContext.js';
import { NEXT_PARAM, safeReturnPath } from '../auth/redirect.js';
import { signInErrorMessage } from '../auth/errorMessages.js';
import { AppHeader } from '../components/AppHeader.js';
import { usePageTitle } from '../lib/usePageTitle.js';

export function SignInPage() {
  const { state, signIn } = useAuth();
  const [params] = useSearchParams();
  const next = safeReturnPath(params.get(NEXT_PARAM));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  usePageTitle('Sign in');

  useEffect(() => emailRef.current?.focus(), []);

  // Signed in already (another tab, or just now): straight on to where the person was going.
  if (state.status === 'signed-in' && !state.offline) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (email.trim() === '' || password === '') {
      setError('Enter your email address and your password.');
      (email.trim() === '' ? emailRef : passwordRef).current?.focus();
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      // The state change above re-renders this page into the <Navigate>.
    } catch (cause) {
      setSubmitting(false);
      setError(signInErrorMessage(cause));
      setPassword('');
      passwordRef.current?.focus();
    }
  };

  return (
    <>
      <AppHeader showAccount={false} />
      <main className="auth-page">
        <form className="auth-card" onSubmit={(e) => void submit(e)} noValidate data-testid="sign-in-form" aria-labelledby="sign-in-title">
          <p className="eyebrow">Thematic Expert Groups</p>
          <h1 id="sign-in-title" className="auth-card__title">
            Sign in to Roundtable
          </h1>
          {next !== '/' && <p className="auth-card__hint">Sign in to continue to the page you opened.</p>}

          <label className="field">
            <span className="field__label">Email address</span>
            <input
              ref={emailRef}
              className="input"
              type="email"
              name="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              data-testid="sign-in-email"
              aria-invalid={error !== null}
            />
          </label>
          <label className="field">
            <span className="field__label">Password</span>
            <input
              ref={passwordRef}
              className="input"
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="sign-in-password"
              aria-invalid={error !== null}
            />
          </label>

          {error && (
            <p className="form-error" role="alert" data-testid="sign-in-error">
              {error}
            </p>
          )}

          <button type="submit" className="button button--primary button--block" disabled={submitting} data-testid="sign-in-submit">
            {submitting ? 'Signing in…' : 'Sign in'}
          </button>
          <p className="auth-card__footer">
            No account yet? Accounts are made by invitation: ask your group’s rapporteur or the workspace administrator for a link.
          </p>
        </form>
      </main>
    </>
  );
}
