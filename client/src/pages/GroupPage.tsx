import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { DOCUMENT_KIND_LABELS, type DocumentMeta } from '../../../shared/domain/index.js';
import { ApiError, api } from '../api/client.js';
import { useMe } from '../auth/AuthContext.js';
import { groupCapabilities } from '../auth/capabilities.js';
import { AppHeader } from '../components/AppHeader.js';
import { describeError, ErrorState } from '../components/ErrorState.js';
import { Icon } from '../components/icons.js';
import { MembersPanel } from '../groups/MembersPanel.js';
import { formatMeeting, formatRelativeTime, formatTimestamp } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useResource } from '../lib/useResource.js';
import { NewDocumentForm } from './NewDocumentForm.js';

const STATE_LABELS: Record<DocumentMeta['state'], string> = { draft: 'Draft', review: 'In review', final: 'Final' };

export function GroupPage() {
  const { groupId = '' } = useParams();
  const me = useMe();
  const data = useResource(
    (signal) => Promise.all([api.getGroup(groupId, signal), api.listDocuments(groupId, signal)]),
    [groupId],
  );
  const [creating, setCreating] = useState(false);
  const group = data.status === 'ready' ? data.data[0] : undefined;
  const { canEdit } = groupCapabilities(group?.myRole ?? null, me.auth.scope);
  usePageTitle(group?.name);
  const { hash } = useLocation();

  // `/groups/x#members` (the admin page links there): the panel exists only once data is in.
  useEffect(() => {
    if (group && hash === '#members') document.getElementById('members')?.scrollIntoView({ block: 'start' });
  }, [group, hash]);

  if (data.status === 'error') {
    const notFound = data.error instanceof ApiError && data.error.isNotFound;
    return (
      <>
        <AppHeader />
        <main className="page">
          <ErrorState
            title={notFound ? 'Group not found' : 'The group could not be loaded'}
            testId={notFound ? 'not-found' : undefined}
            actions={
              notFound ? (
                <Link className="button" to="/">
                  See all groups
                </Link>
              ) : (
                <button type="button" className="button" onClick={data.reload}>
                  Try again
                </button>
              )
            }
          >
            <p>
              {notFound
                ? 'This group does not exist, or you are not a member of it. Check the link, or ask the group’s rapporteur for an invitation.'
                : describeError(data.error)}
            </p>
          </ErrorState>
        </main>
      </>
    );
  }

  const documents = data.status === 'ready' ? sortByRecent(data.data[1]) : [];

  return (
    <>
      <AppHeader crumbs={group ? [{ label: group.name }] : []} role={group?.myRole} />
      <main className="page">
        <section className="page-intro">
          <p className="eyebrow">Expert group</p>
          <h1 className="page-title">{group?.name ?? <span className="skeleton-text" style={{ width: '18ch' }} />}</h1>
          {group && <p className="lede">{group.description}</p>}
        </section>

        <section className="panel" aria-labelledby="documents-heading">
          <div className="panel__header">
            <h2 id="documents-heading" className="panel__title">
              Documents
              {data.status === 'ready' && <span className="panel__count">{documents.length}</span>}
            </h2>
            {!creating && canEdit && (
              <button
                type="button"
                className="button button--primary"
                data-testid="new-document"
                onClick={() => setCreating(true)}
                disabled={data.status !== 'ready'}
              >
                <Icon name="plus" size={16} /> New document
              </button>
            )}
          </div>

          {creating && <NewDocumentForm groupId={groupId} onCancel={() => setCreating(false)} />}

          {data.status === 'loading' && (
            <ul className="document-list" aria-busy="true">
              {[0, 1, 2].map((i) => (
                <li key={i} className="document-row document-row--skeleton" />
              ))}
            </ul>
          )}
          {data.status === 'ready' && documents.length === 0 && !creating && (
            <div className="empty-state empty-state--inline">
              <p className="empty-state__body">
                {canEdit ? (
                  <>
                    No documents yet. Start with the follow-up of your last meeting: <strong>New document</strong>.
                  </>
                ) : (
                  'No documents yet.'
                )}
              </p>
            </div>
          )}
          {documents.length > 0 && (
            <ul className="document-list">
              {documents.map((document) => (
                <li key={document.id}>
                  <DocumentRow document={document} />
                </li>
              ))}
            </ul>
          )}
        </section>

        {group && <MembersPanel groupId={group.id} groupName={group.name} standing={group.myRole} selfId={me.user.id} isAdmin={me.user.isAdmin} />}
      </main>
    </>
  );
}

function sortByRecent(documents: DocumentMeta[]): DocumentMeta[] {
  return [...documents].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

function DocumentRow({ document }: { document: DocumentMeta }) {
  return (
    <Link to={`/documents/${encodeURIComponent(document.id)}`} className="document-row" data-testid="document-row">
      <span className={`kind-badge kind-badge--${document.kind}`}>{DOCUMENT_KIND_LABELS[document.kind] ?? document.kind}</span>
      <span className="document-row__main">
        <span className="document-row__title">{document.title}</span>
        {document.meeting && <span className="document-row__meeting">{formatMeeting(document.meeting)}</span>}
      </span>
      <span className="document-row__side">
        {document.state !== 'draft' && (
          <span className={`state-badge state-badge--${document.state}`}>{STATE_LABELS[document.state] ?? document.state}</span>
        )}
        <span className="document-row__edited" title={formatTimestamp(document.updatedAt)}>
          Edited {formatRelativeTime(document.updatedAt)}
        </span>
      </span>
      <span className="document-row__chevron" aria-hidden="true">
        <Icon name="chevronRight" size={18} />
      </span>
    </Link>
  );
}
