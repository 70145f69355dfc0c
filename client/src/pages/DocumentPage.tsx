import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { DOCUMENT_KIND_LABELS, type DocumentMeta } from '../../../shared/domain/index.js';
import { CloseCode } from '../../../shared/protocol/index.js';
import { api } from '../api/client.js';
import { AppHeader } from '../components/AppHeader.js';
import { describeError, ErrorState } from '../components/ErrorState.js';
import { Avatars } from '../editor/Avatars.js';
import { finalCloseMessage } from '../editor/closeMessages.js';
import { DocumentTitle } from '../editor/DocumentTitle.js';
import { EditorSurface } from '../editor/EditorSurface.js';
import { displayStatus } from '../editor/saveStatus.js';
import { StatusBadge } from '../editor/StatusBadge.js';
import { Toolbar } from '../editor/Toolbar.js';
import { useCollaboration } from '../editor/useCollaboration.js';
import { useIdentity } from '../identity/IdentityContext.js';
import { formatMeeting } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useResource } from '../lib/useResource.js';
import { useDocumentMeta } from './useDocumentMeta.js';

export function DocumentPage() {
  const { documentId = '' } = useParams();
  // A fresh view per document: the collaboration session belongs to one document.
  return <DocumentView key={documentId} documentId={documentId} />;
}

function DocumentView({ documentId }: { documentId: string }) {
  const { identity } = useIdentity();
  const { state: meta, update } = useDocumentMeta(documentId);
  const document = meta.status === 'ready' ? meta.document : null;
  usePageTitle(document?.title);

  if (meta.status === 'not-found') {
    return (
      <>
        <AppHeader />
        <main className="page">
          <ErrorState
            title="Document not found"
            testId="not-found"
            actions={
              <Link className="button" to="/">
                See all groups
              </Link>
            }
          >
            <p>This document does not exist or was removed. Check the link you followed.</p>
          </ErrorState>
        </main>
      </>
    );
  }
  if (meta.status === 'error') {
    return (
      <>
        <AppHeader />
        <main className="page">
          <ErrorState
            title="The document could not be opened"
            actions={
              <button type="button" className="button" onClick={() => window.location.reload()}>
                Try again
              </button>
            }
          >
            <p>{describeError(meta.error)}</p>
          </ErrorState>
        </main>
      </>
    );
  }
  if (meta.status === 'loading') {
    return (
      <>
        <AppHeader />
        <div className="doc-layout">
          <div className="toolbar-bar toolbar-bar--placeholder" />
          <article className="sheet" aria-busy="true">
            <div className="skeleton-text skeleton-text--title" />
          </article>
        </div>
      </>
    );
  }
  return <OpenDocument document={meta.document} fromCache={meta.fromCache} onMetaSaved={update} hasIdentity={identity !== null} />;
}

interface OpenDocumentProps {
  document: DocumentMeta;
  fromCache: boolean;
  onMetaSaved: (document: DocumentMeta) => void;
  hasIdentity: boolean;
}

function OpenDocument({ document, fromCache, onMetaSaved, hasIdentity }: OpenDocumentProps) {
  const { identity, editIdentity } = useIdentity();
  const { session, snapshot, save } = useCollaboration(document.id, identity);
  const group = useResource((signal) => api.getGroup(document.groupId, signal), [document.groupId]);
  const status = displayStatus(save);
  const editor = snapshot.editor;
  const groupName = group.status === 'ready' ? group.data.name : 'Group';

  return (
    <>
      <AppHeader
        crumbs={[{ label: groupName, to: `/groups/${encodeURIComponent(document.groupId)}` }, { label: document.title }]}
        actions={
          <>
            <StatusBadge state={save} />
            <Avatars awareness={session?.provider.awareness ?? null} onEditSelf={editIdentity} />
          </>
        }
        showIdentity={session === null}
      />
      <div className="doc-layout">
        {save.terminal && <FinalCloseBanner code={save.terminal.code} reason={save.terminal.reason} unsaved={save.unsaved} />}
        {!save.terminal && save.lastCloseCode === CloseCode.RoomLoadFailed && save.socket !== 'open' && (
          <Banner tone="warning" testId="room-load-failed">
            The server could not load this document just now. Trying again…
          </Banner>
        )}
        {fromCache && (
          <Banner tone="info" testId="offline-copy">
            The server cannot be reached. You are working on the copy kept on this device; your changes are sent when the
            connection returns.
          </Banner>
        )}
        {snapshot.phase === 'blocked' && (
          <Banner tone="error" testId="content-blocked">
            This document contains content this version of Roundtable cannot show, so editing is turned off to keep it
            intact. Reload the page to get the latest version.
          </Banner>
        )}

        <div className="toolbar-bar">{editor ? <Toolbar editor={editor} /> : <div className="toolbar toolbar--placeholder" />}</div>

        <article className="sheet">
          <header className="sheet__header">
            <span className={`kind-badge kind-badge--${document.kind}`}>{DOCUMENT_KIND_LABELS[document.kind] ?? document.kind}</span>
            <DocumentTitle document={document} onSaved={onMetaSaved} disabled={fromCache} />
            {document.meeting && (
              <p className="doc-meeting" data-testid="doc-meeting">
                {formatMeeting(document.meeting)}
              </p>
            )}
          </header>
          <EditorSurface snapshot={snapshot} status={status} hasIdentity={hasIdentity} />
        </article>
      </div>
    </>
  );
}

function FinalCloseBanner({ code, reason, unsaved }: { code: number; reason: string; unsaved: boolean }) {
  const { title, body } = finalCloseMessage(code, reason, unsaved);
  return (
    <Banner tone="error" testId="connection-closed">
      <div className="banner__row">
        <span>
          <strong>{title}.</strong> {body}
        </span>
        <button type="button" className="button button--small" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    </Banner>
  );
}

function Banner({ tone, testId, children }: { tone: 'info' | 'warning' | 'error'; testId: string; children: ReactNode }) {
  return (
    <div className={`banner banner--${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}
