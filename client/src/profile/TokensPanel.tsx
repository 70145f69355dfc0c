import { useState, type FormEvent } from 'react';
import type { TokenScope, TokenView } from '../../../shared/domain/index.js';
import { api } from '../api/client.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { CopyField } from '../components/CopyField.js';
import { describeError } from '../components/ErrorState.js';
import { formatRelativeTime, formatTimestamp } from '../lib/format.js';
import { useResource } from '../lib/useResource.js';

const SCOPE_LABELS: Record<TokenScope, string> = { full: 'Read and write', read: 'Read only' };

/**
 * Personal API tokens for scripts (`Authorization: Bearer …`). The secret is in the creation
 * answer only (the server stores a hash), so it is shown once, with a copy button.
 */
export function TokensPanel() {
  const tokens = useResource((signal) => api.listTokens(signal), []);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('read');
  const [created, setCreated] = useState<TokenView | null>(null);
  const [added, setAdded] = useState<TokenView[]>([]);
  const [revoked, setRevoked] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const list = [...added.filter((a) => tokens.status !== 'ready' || !tokens.data.some((t) => t.id === a.id)), ...(tokens.status === 'ready' ? tokens.data : [])].filter(
    (t) => !revoked.has(t.id),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') {
      setError('Give the token a name that says where it is used, e.g. “Minutes export script”.');
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const token = await api.createToken(name.trim(), scope);
      setCreated(token);
      // The list never keeps the secret: only the one-time box shows it.
      setAdded((current) => [{ ...token, secret: undefined }, ...current]);
      setName('');
    } catch (cause) {
      setError(`The token was not created: ${describeError(cause)}`);
    } finally {
      setSaving(false);
    }
  };

  const revoke = async (token: TokenView) => {
    try {
      await api.revokeToken(token.id);
      setRevoked((set) => new Set([...set, token.id]));
      if (created?.id === token.id) setCreated(null);
    } catch (cause) {
      setError(`The token was not revoked: ${describeError(cause)}`);
    }
  };

  return (
    <section className="panel settings-section" data-testid="tokens-panel" aria-labelledby="tokens-heading">
      <div className="settings-section__intro">
        <h2 id="tokens-heading" className="settings-section__title">
          Personal API tokens
        </h2>
        <p className="settings-section__hint">
          For scripts that use the Roundtable API as you. A token has your rights or fewer (read only). Revoke any token you no
          longer use.
        </p>
      </div>
      <div className="settings-section__body">
        <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
          <label className="field inline-form__grow">
            <span className="field__label">Name</span>
            <input className="input" value={name} maxLength={80} placeholder="e.g. Minutes export script" onChange={(e) => setName(e.target.value)} data-testid="token-name" />
          </label>
          <label className="field">
            <span className="field__label">Access</span>
            <select className="input" value={scope} onChange={(e) => setScope(e.target.value as TokenScope)} data-testid="token-scope">
              <option value="read">{SCOPE_LABELS.read}</option>
              <option value="full">{SCOPE_LABELS.full}</option>
            </select>
          </label>
          <button type="submit" className="button button--primary" disabled={saving} data-testid="token-create">
            {saving ? 'Creating…' : 'Create token'}
          </button>
        </form>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}

        {created?.secret && (
          <div className="once-box" data-testid="token-created" role="status">
            <p className="once-box__title">Your new token “{created.name}”</p>
            <CopyField value={created.secret} label="Token secret" testId="token-secret" />
            <p className="once-box__hint">Copy it now and keep it somewhere safe: it is shown only this once.</p>
            <button type="button" className="button button--small button--ghost" onClick={() => setCreated(null)}>
              I have copied it
            </button>
          </div>
        )}

        {tokens.status === 'error' && <p className="panel__message">The tokens could not be loaded: {describeError(tokens.error)}</p>}
        {tokens.status === 'ready' && list.length === 0 && <p className="panel__message panel__message--quiet">You have no tokens.</p>}
        {list.length > 0 && (
          <ul className="token-list">
            {list.map((token) => (
              <li key={token.id} className="token-row" data-testid="token-row">
                <span className="token-row__main">
                  <span className="token-row__name">{token.name}</span>
                  <span className="token-row__meta" title={formatTimestamp(token.createdAt)}>
                    Created {formatRelativeTime(token.createdAt)} · {token.lastUsedAt ? `last used ${formatRelativeTime(token.lastUsedAt)}` : 'never used'}
                  </span>
                </span>
                <span className={`role-badge role-badge--plain${token.scope === 'read' ? '' : ' role-badge--strong'}`}>{SCOPE_LABELS[token.scope]}</span>
                <ConfirmButton label="Revoke" question="Revoke this token?" confirmLabel="Revoke" testId="token-revoke" onConfirm={() => revoke(token)} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
