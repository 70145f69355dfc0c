import { useState, type FormEvent } from 'react';
import { GROUP_ROLE_LABELS, GROUP_ROLES, type GroupRole, type InviteView } from '../../../shared/domain/index.js';
import { api, ApiError, fieldErrorsFrom } from '../api/client.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { CopyField } from '../components/CopyField.js';
import { describeError } from '../components/ErrorState.js';
import { formatRelativeTime, formatTimestamp } from '../lib/format.js';
import { useResource } from '../lib/useResource.js';
import { isPending, EXPIRY_CHOICES } from './invites.js';

/**
 * Invitation links for people who have no account in the group yet. The link (it holds the
 * secret) is shown once, right after it is made: the server keeps only a hash of it.
 */
export function InvitesPanel({ groupId, groupName }: { groupId: string; groupName: string }) {
  const invites = useResource((signal) => api.listInvites(groupId, signal), [groupId]);
  const [role, setRole] = useState<GroupRole>('member');
  const [email, setEmail] = useState('');
  const [hours, setHours] = useState(168);
  const [created, setCreated] = useState<InviteView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [revoked, setRevoked] = useState<Set<string>>(new Set());
  const [extra, setExtra] = useState<InviteView[]>([]);

  const now = new Date();
  const all = invites.status === 'ready' ? [...extra.filter((x) => !invites.data.some((i) => i.id === x.id)), ...invites.data] : extra;
  const pending = all.filter((invite) => !revoked.has(invite.id) && isPending(invite, now));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const invite = await api.createInvite(groupId, { role, expiresInHours: hours, ...(email.trim() ? { email: email.trim() } : {}) });
      setCreated(invite);
      setExtra((list) => [invite, ...list]);
      setEmail('');
    } catch (cause) {
      const fields = cause instanceof ApiError ? fieldErrorsFrom(cause.details) : {};
      setError(fields['email'] ? `Email ${fields['email']}.` : `The invitation was not created: ${describeError(cause)}`);
    } finally {
      setSaving(false);
    }
  };

  const revoke = async (invite: InviteView) => {
    try {
      await api.revokeInvite(groupId, invite.id);
      setRevoked((set) => new Set([...set, invite.id]));
      if (created?.id === invite.id) setCreated(null);
    } catch (cause) {
      setError(`The invitation was not revoked: ${describeError(cause)}`);
    }
  };

  return (
    <div className="subpanel" data-testid="invites-panel">
      <h3 className="subpanel__title">Invite people</h3>
      <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span className="field__label">Role</span>
          <select className="input" value={role} onChange={(e) => setRole(e.target.value as GroupRole)} data-testid="invite-role">
            {GROUP_ROLES.map((r) => (
              <option key={r} value={r}>
                {GROUP_ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline-form__grow">
          <span className="field__label">For (optional)</span>
          <input className="input" type="email" value={email} placeholder="name@example.eu — only this address can use it" onChange={(e) => setEmail(e.target.value)} data-testid="invite-email" />
        </label>
        <label className="field">
          <span className="field__label">Valid for</span>
          <select className="input" value={hours} onChange={(e) => setHours(Number(e.target.value))} data-testid="invite-expiry">
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.hours} value={choice.hours}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button--primary" disabled={saving} data-testid="invite-create">
          {saving ? 'Creating…' : 'Create invitation link'}
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}

      {created?.url && (
        <div className="once-box" data-testid="invite-created" role="status">
          <p className="once-box__title">Invitation link for {GROUP_ROLE_LABELS[created.role].toLowerCase()}s of {groupName}</p>
          <CopyField value={created.url} label="Invitation link" testId="invite-url" />
          <p className="once-box__hint">
            Copy it now: it is shown only once. It works for one person, until {formatTimestamp(created.expiresAt)}.
          </p>
        </div>
      )}

      <h4 className="subpanel__subtitle">Pending invitations</h4>
      {invites.status === 'error' && <p className="panel__message">The invitations could not be loaded: {describeError(invites.error)}</p>}
      {invites.status === 'ready' && pending.length === 0 && <p className="panel__message panel__message--quiet">No pending invitations.</p>}
      {pending.length > 0 && (
        <ul className="invite-list">
          {pending.map((invite) => (
            <li key={invite.id} className="invite-row" data-testid="invite-row">
              <span className="role-badge role-badge--plain">{GROUP_ROLE_LABELS[invite.role]}</span>
              <span className="invite-row__who">{invite.email ?? 'Anyone with the link'}</span>
              <span className="invite-row__when" title={formatTimestamp(invite.expiresAt)}>
                Expires {formatRelativeTime(invite.expiresAt)}
              </span>
              <ConfirmButton label="Revoke" question="Revoke this link?" confirmLabel="Revoke" testId="invite-revoke" onConfirm={() => revoke(invite)} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
