import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client.js';
import { ActivityPanel } from '../admin/ActivityPanel.js';
import { UsersPanel } from '../admin/UsersPanel.js';
import { useMe } from '../auth/AuthContext.js';
import { AppHeader } from '../components/AppHeader.js';
import { describeError } from '../components/ErrorState.js';
import { Icon } from '../components/icons.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useResource } from '../lib/useResource.js';
import { NotFoundPage } from './NotFoundPage.js';

const TABS = [
  { id: 'users', label: 'Accounts' },
  { id: 'groups', label: 'Groups and members' },
  { id: 'activity', label: 'Activity' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** `/admin`: workspace administration. Not offered to anyone else (the API refuses them too). */
export function AdminPage() {
  const me = useMe();
  usePageTitle('Administration');
  // Same answer as for any unknown page: the server gives non-admins 404s for this API as well.
  if (!me.user.isAdmin) return <NotFoundPage />;
  return <Administration selfId={me.user.id} />;
}

function Administration({ selfId }: { selfId: string }) {
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tab: Tab = TABS.some((t) => t.id === raw) ? (raw as Tab) : 'users';
  const groups = useResource((signal) => api.listGroups(signal), []);
  const users = useResource((signal) => api.listUsers(signal), []);

  return (
    <>
      <AppHeader crumbs={[{ label: 'Administration' }]} role="admin" />
      <main className="page">
        <section className="page-intro">
          <p className="eyebrow">Workspace</p>
          <h1 className="page-title">Administration</h1>
          <p className="lede">Accounts, group memberships and the activity log of this Roundtable workspace.</p>
        </section>

        <nav className="tabs" aria-label="Administration sections">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              className={`tabs__tab${t.id === tab ? ' tabs__tab--current' : ''}`}
              aria-current={t.id === tab ? 'page' : undefined}
              onClick={() => setParams(t.id === 'users' ? {} : { tab: t.id }, { replace: true })}
              data-testid={`admin-tab-${t.id}`}
            >
              {t.label}
            </button>
          ))}
        </nav>

        {tab === 'users' && <UsersPanel selfId={selfId} />}
        {tab === 'activity' && <ActivityPanel groups={groups.data ?? []} users={users.data ?? []} />}
        {tab === 'groups' && (
          <section className="panel" aria-labelledby="groups-heading" data-testid="admin-groups">
            <div className="panel__header">
              <h2 id="groups-heading" className="panel__title">
                Groups
                {groups.status === 'ready' && <span className="panel__count">{groups.data.length}</span>}
              </h2>
            </div>
            {groups.status === 'error' && <p className="panel__message">The groups could not be loaded: {describeError(groups.error)}</p>}
            {groups.status === 'ready' && (
              <ul className="document-list">
                {groups.data.map((group) => (
                  <li key={group.id}>
                    <Link to={`/groups/${encodeURIComponent(group.id)}#members`} className="document-row document-row--simple" data-testid="admin-group-row">
                      <span className="document-row__main">
                        <span className="document-row__title">{group.name}</span>
                        <span className="document-row__meeting">
                          {group.documentCount} {group.documentCount === 1 ? 'document' : 'documents'}
                        </span>
                      </span>
                      <span className="document-row__side">Manage members</span>
                      <span className="document-row__chevron" aria-hidden="true">
                        <Icon name="chevronRight" size={18} />
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
      </main>
    </>
  );
}
