import { useState, type FormEvent } from 'react';
import { GROUP_ROLE_LABELS, GROUP_ROLES, type GroupRole, type MemberEntry } from '../../../shared/domain/index.js';
import { api } from '../api/client.js';
import { describeError } from '../components/ErrorState.js';
import { useResource } from '../lib/useResource.js';

interface Props {
  groupId: string;
  memberIds: string[];
  onAdded: (member: MemberEntry) => void;
}

/**
 * Workspace admins only (they alone can list accounts): put an existing account into the
 * group. Everyone else brings people in with an invitation link.
 */
export function AddMemberForm({ groupId, memberIds, onAdded }: Props) {
  const users = useResource((signal) => api.listUsers(signal), []);
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<GroupRole>('member');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const candidates = users.status === 'ready' ? users.data.filter((u) => u.active && !memberIds.includes(u.id)) : [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!userId) {
      setError('Choose a person to add.');
      return;
    }
    setSaving(true);
    setError(null);
    try {
      onAdded(await api.setMemberRole(groupId, userId, role));
      setUserId('');
    } catch (cause) {
      setError(`The person was not added: ${describeError(cause)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="subpanel" onSubmit={(e) => void submit(e)} data-testid="add-member-form" noValidate>
      <h3 className="subpanel__title">Add an existing account</h3>
      <div className="inline-form">
        <label className="field inline-form__grow">
          <span className="field__label">Person</span>
          <select className="input" value={userId} onChange={(e) => setUserId(e.target.value)} data-testid="add-member-user" disabled={users.status !== 'ready'}>
            <option value="">{users.status === 'loading' ? 'Loading accounts…' : candidates.length === 0 ? 'Everyone is already a member' : 'Choose…'}</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.email})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Role</span>
          <select className="input" value={role} onChange={(e) => setRole(e.target.value as GroupRole)} data-testid="add-member-role">
            {GROUP_ROLES.map((r) => (
              <option key={r} value={r}>
                {GROUP_ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button" disabled={saving || candidates.length === 0} data-testid="add-member-submit">
          {saving ? 'Adding…' : 'Add to group'}
        </button>
      </div>
      {(error || users.status === 'error') && (
        <p className="form-error" role="alert">
          {error ?? `The accounts could not be loaded: ${describeError(users.error)}`}
        </p>
      )}
    </form>
  );
}
