import { useState } from 'react';
import type { PublicUser } from '../../../shared/domain/index.js';
import { api } from '../api/client.js';
import { Avatar } from '../components/Avatar.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { describeError } from '../components/ErrorState.js';
import { Icon } from '../components/icons.js';
import { formatRelativeTime, formatTimestamp } from '../lib/format.js';
import { useResource } from '../lib/useResource.js';
import { CreateUserForm } from './CreateUserForm.js';

function byName(a: PublicUser, b: PublicUser): number {
  return Number(b.active) - Number(a.active) || a.name.localeCompare(b.name);
}

/** Every account in the workspace: create, make admin, deactivate and reactivate. */
export function UsersPanel({ selfId }: { selfId: string }) {
  const users = useResource((signal) => api.listUsers(signal), []);
  const [changed, setChanged] = useState<Record<string, PublicUser>>({});
  const [creating, setCreating] = useState(false);
  const [rowError, setRowError] = useState<{ userId: string; message: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const base = users.status === 'ready' ? users.data : [];
  const list = [...base.map((u) => changed[u.id] ?? u), ...Object.values(changed).filter((u) => !base.some((b) => b.id === u.id))].sort(byName);

  const patch = async (user: PublicUser, change: { isAdmin?: boolean; active?: boolean }, what: string) => {
    setBusy(user.id);
    setRowError(null);
    try {
      const saved = await api.patchUser(user.id, change);
      setChanged((c) => ({ ...c, [saved.id]: saved }));
    } catch (cause) {
      setRowError({ userId: user.id, message: `${what} failed: ${describeError(cause)}` });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel" aria-labelledby="users-heading" data-testid="users-panel">
      <div className="panel__header">
        <h2 id="users-heading" className="panel__title">
          Accounts
          {users.status === 'ready' && <span className="panel__count">{list.length}</span>}
        </h2>
        {!creating && (
          <button type="button" className="button button--primary" onClick={() => setCreating(true)} data-testid="create-user">
            <Icon name="plus" size={16} /> New account
          </button>
        )}
      </div>
      {creating && <CreateUserForm onCreated={(user) => setChanged((c) => ({ ...c, [user.id]: user }))} onCancel={() => setCreating(false)} />}

      {users.status === 'loading' && <div className="document-row document-row--skeleton" aria-busy="true" />}
      {users.status === 'error' && (
        <p className="panel__message" role="alert">
          The accounts could not be loaded: {describeError(users.error)}
        </p>
      )}
      {list.length > 0 && (
        <ul className="member-list">
          {list.map((user) => {
            const isSelf = user.id === selfId;
            return (
              <li key={user.id} className={`member-row${user.active ? '' : ' member-row--inactive'}`} data-testid="user-row" data-user-id={user.id} data-email={user.email}>
                <Avatar name={user.name} color={user.color} />
                <span className="member-row__who">
                  <span className="member-row__name">
                    {user.name}
                    {isSelf && <span className="member-row__you">(you)</span>}
                    {user.isAdmin && <span className="role-badge role-badge--admin">Admin</span>}
                    {!user.active && <span className="tag tag--muted">Deactivated</span>}
                  </span>
                  <span className="member-row__email">
                    {user.email} · <span title={formatTimestamp(user.createdAt)}>joined {formatRelativeTime(user.createdAt)}</span>
                  </span>
                </span>
                <span className="member-row__actions member-row__actions--wide">
                  {!isSelf && user.active && (
                    <ConfirmButton
                      label={user.isAdmin ? 'Remove admin' : 'Make admin'}
                      question={user.isAdmin ? 'Remove admin rights?' : 'Give admin rights?'}
                      confirmLabel={user.isAdmin ? 'Remove' : 'Make admin'}
                      testId="user-toggle-admin"
                      disabled={busy === user.id}
                      onConfirm={() => patch(user, { isAdmin: !user.isAdmin }, 'Changing admin rights')}
                    />
                  )}
                  {!isSelf &&
                    (user.active ? (
                      <ConfirmButton
                        label="Deactivate"
                        question={`Deactivate ${user.name}? They are signed out everywhere.`}
                        confirmLabel="Deactivate"
                        testId="user-deactivate"
                        disabled={busy === user.id}
                        onConfirm={() => patch(user, { active: false }, 'Deactivating')}
                      />
                    ) : (
                      <button
                        type="button"
                        className="button button--small"
                        disabled={busy === user.id}
                        onClick={() => void patch(user, { active: true }, 'Reactivating')}
                        data-testid="user-reactivate"
                      >
                        Reactivate
                      </button>
                    ))}
                </span>
                {rowError?.userId === user.id && (
                  <p className="member-row__error" role="alert">
                    {rowError.message}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
