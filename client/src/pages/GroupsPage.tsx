import { Link } from 'react-router';
import type { GroupView } from '../../../shared/domain/index.js';
import { api } from '../api/client.js';
import { useMe } from '../auth/AuthContext.js';
import { AppHeader } from '../components/AppHeader.js';
import { describeError, ErrorState } from '../components/ErrorState.js';
import { RoleBadge } from '../components/RoleBadge.js';
import { initials } from '../identity/identity.js';
import { formatRelativeTime, formatTimestamp } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useResource } from '../lib/useResource.js';

export function GroupsPage() {
  const me = useMe();
  const groups = useResource((signal) => api.listGroups(signal), []);
  usePageTitle('Expert groups');

  return (
    <>
      <AppHeader />
      <main className="page">
        <section className="page-intro">
          <p className="eyebrow">Thematic Expert Groups</p>
          <h1 className="page-title">Your expert groups</h1>
          <p className="lede">
            Meeting follow-ups, working drafts and reports, written together in real time. Pick a group to see its
            documents.
          </p>
        </section>

        {groups.status === 'loading' && (
          <div className="group-grid" aria-busy="true" aria-label="Loading groups">
            {[0, 1, 2, 3].map((i) => (
              <div key={i} className="group-card group-card--skeleton" />
            ))}
          </div>
        )}
        {groups.status === 'error' && (
          <ErrorState
            title="The groups could not be loaded"
            actions={
              <button type="button" className="button" onClick={groups.reload}>
                Try again
              </button>
            }
          >
            <p>{describeError(groups.error)}</p>
          </ErrorState>
        )}
        {groups.status === 'ready' &&
          (groups.data.length === 0 ? (
            <section className="empty-state">
              <h2 className="empty-state__title">No groups yet</h2>
              <p className="empty-state__body">
                {me.user.isAdmin
                  ? 'There are no expert groups in this workspace yet.'
                  : 'You are not a member of any expert group yet. Ask a group’s rapporteur for an invitation link.'}
              </p>
            </section>
          ) : (
            <div className="group-grid">
              {groups.data.map((group) => (
                <GroupCard key={group.id} group={group} />
              ))}
            </div>
          ))}
      </main>
    </>
  );
}

function GroupCard({ group }: { group: GroupView }) {
  const count = group.documentCount;
  return (
    <Link to={`/groups/${encodeURIComponent(group.id)}`} className="group-card" data-testid="group-card">
      <span className="group-card__top">
        <span className="group-card__monogram" aria-hidden="true">
          {initials(group.name.replace(/^WG\s+/i, ''))}
        </span>
        <RoleBadge standing={group.myRole} tooltip={false} />
      </span>
      <h2 className="group-card__name">{group.name}</h2>
      <p className="group-card__description">{group.description}</p>
      <div className="group-card__meta">
        <span className="group-card__count">
          {count === 0 ? 'No documents yet' : `${count} ${count === 1 ? 'document' : 'documents'}`}
        </span>
        {group.lastEditedAt && (
          <span className="group-card__edited" title={formatTimestamp(group.lastEditedAt)}>
            Edited {formatRelativeTime(group.lastEditedAt)}
          </span>
        )}
      </div>
    </Link>
  );
}
