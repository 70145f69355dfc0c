import { useMemo, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { DOCUMENT_KIND_LABELS, type DocumentView as DocumentData } from '../../../shared/domain/index.js';
import { CloseCode } from '../../../shared/protocol/index.js';
import { api } from '../api/client.js';
import { useAuth, useMe } from '../auth/AuthContext.js';
import { documentMode } from '../auth/capabilities.js';
import { AppHeader } from '../components/AppHeader.js';
import { describeError, ErrorState } from '../components/ErrorState.js';
import { useAccessWatch } from '../editor/accessWatch.js';
import { Avatars } from '../editor/Avatars.js';
import { Banner, FinalCloseBanner, ReadOnlyBar } from '../editor/DocumentBanners.js';
import { DocumentTitle } from '../editor/DocumentTitle.js';
import { EditorSurface } from '../editor/EditorSurface.js';
import { displayStatus } from '../editor/saveStatus.js';
import { StatusBadge } from '../editor/StatusBadge.js';
import { Toolbar } from '../editor/Toolbar.js';
import { useCollaboration } from '../editor/useCollaboration.js';
import { shallowEqual, useSaveSelector } from '../editor/useSaveSelector.js';
import { formatMeeting } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useResource } from '../lib/useResource.js';
import { useDocumentMeta } from './useDocumentMeta.js';

export function DocumentPage() {
  const { documentId = '' } = useParams();
  const me = useMe();
  // A fresh view per document and per account: the collaboration session belongs to both.
  return <DocumentView key={`${me.user.id}:${documentId}`} documentId={documentId} />;
}

function PageMessage({ title, testId, children, actions }: { title: string; testId?: string; children: ReactNode; actions: ReactNode }) {
  return (
    <>
      <AppHeader />
      <main className="page">
        <ErrorState title={title} testId={testId} actions={actions}>
          {children}
        </ErrorState>
      </main>
    </>
  );
}

const toGroups = (
  <Link className="button" to="/">
    See all groups
  </Link>
);

function DocumentView({ documentId }: { documentId: string }) {
  const me = useMe();
  const { state: meta, update, recheck, markRevoked } = useDocumentMeta(documentId, me.user.id);
  usePageTitle(meta.status === 'ready' ? meta.document.title : null);

  if (meta.status === 'not-found') {
    return (
      <PageMessage title="Document not found" testId="not-found" actions={toGroups}>
        <p>This document does not exist, or it is not shared with you. Check the link you followed.</p>
      </PageMessage>
    );
  }
  if (meta.status === 'revoked') {
    return (
      <PageMessage title="You no longer have access to this document" testId="access-revoked" actions={toGroups}>
        <p>Your role in this group changed or you were removed from it, so the document was closed. Ask the group’s rapporteur if you think this is a mistake.</p>
      </PageMessage>
    );
  }
  if (meta.status === 'error') {
    return (
      <PageMessage
        title="The document could not be opened"
        actions={
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Try again
          </button>
        }
      >
        <p>{describeError(meta.error)}</p>
      </PageMessage>
    );
  }
  if (meta.status === 'loading') {
    return (
      <>
        <AppHeader compactAccount />
        <div className="doc-layout">
          <div className="toolbar-bar toolbar-bar--placeholder" />
          <article className="sheet" aria-busy="true">
            <div className="skeleton-text skeleton-text--title" />
          </article>
        </div>
      </>
    );
  }
  const mode = documentMode(meta.document.access, me.auth.scope);
  // Keyed by mode: a change of access (4001 → re-fetched) re-opens the session read-only or
  // editable; a session never switches mode in place (see useCollaboration).
  return (
    <OpenDocument
      key={mode}
      document={meta.document}
      readOnly={mode === 'read'}
      fromCache={meta.fromCache}
      onMetaSaved={update}
      onRecheck={() => void recheck()}
      onRevoked={markRevoked}
    />
  );
}

interface OpenDocumentProps {
  document: DocumentData;
  readOnly: boolean;
  fromCache: boolean;
  onMetaSaved: Parameters<typeof DocumentTitle>[0]['onSaved'];
  onRecheck: () => void;
  onRevoked: () => void;
}

function OpenDocument({ document, readOnly, fromCache, onMetaSaved, onRecheck, onRevoked }: OpenDocumentProps) {
  const me = useMe();
  const { sessionEnded } = useAuth();
  const { id, name, color } = me.user;
  const user = useMemo(() => ({ id, name, color }), [id, name, color]);
  const { session, snapshot } = useCollaboration(document.id, user, readOnly);
  const editor = snapshot.editor;
  // Only what this page shows of the save state, so that typing (three state changes per
  // keystroke) does not re-render the page; the badge subscribes on its own.
  const save = useSaveSelector(
    session?.tracker ?? null,
    (state) => ({
      terminal: state.terminal,
      unsavedAtEnd: state.terminal !== null && state.unsaved,
      roomLoadFailed: state.terminal === null && state.lastCloseCode === CloseCode.RoomLoadFailed && state.socket !== 'open',
      // The editor surface shows the status only while it has no editor to show.
      placeholderStatus: editor ? null : displayStatus(state, readOnly),
    }),
    shallowEqual,
  );
  const group = useResource((signal) => api.getGroup(document.groupId, signal), [document.groupId]);
  useAccessWatch(session, {
    onSessionEnded: sessionEnded,
    onRevoked: () => {
      // Nothing of a document the person may no longer read stays on this device. Not awaited:
      // deleting a database waits for every other tab that has it open, and the page must say
      // at once that access is gone; the deletion completes on its own.
      void session?.discardLocalCopy().catch(() => undefined);
      onRevoked();
    },
    onRecheck,
  });
  const groupName = group.status === 'ready' ? group.data.name : 'Group';
  const standing = group.status === 'ready' ? group.data.myRole : undefined;

  return (
    <>
      <AppHeader
        crumbs={[{ label: groupName, to: `/groups/${encodeURIComponent(document.groupId)}` }, { label: document.title }]}
        role={standing}
        compactAccount
        actions={
          <>
            <StatusBadge tracker={session?.tracker ?? null} readOnly={readOnly} />
            <Avatars awareness={session?.provider.awareness ?? null} selfUserId={me.user.id} hideSelf />
          </>
        }
      />
      <div className="doc-layout" data-mode={readOnly ? 'read' : 'edit'} data-testid="document-layout">
        {save.terminal && <FinalCloseBanner code={save.terminal.code} reason={save.terminal.reason} unsaved={save.unsavedAtEnd} />}
        {save.roomLoadFailed && (
          <Banner tone="warning" testId="room-load-failed">
            The server could not load this document just now. Trying again…
          </Banner>
        )}
        {fromCache && (
          <Banner tone="info" testId="offline-copy">
            {readOnly
              ? 'The server cannot be reached. The document appears as soon as the connection returns.'
              : 'The server cannot be reached. You are working on the copy kept on this device; your changes are sent when the connection returns.'}
          </Banner>
        )}
        {snapshot.phase === 'blocked' && (
          <Banner tone="error" testId="content-blocked">
            This document contains content this version of Roundtable cannot show, so editing is turned off to keep it
            intact. Reload the page to get the latest version.
          </Banner>
        )}

        <div className="toolbar-bar">
          {readOnly ? <ReadOnlyBar standing={standing} /> : editor ? <Toolbar editor={editor} /> : <div className="toolbar toolbar--placeholder" />}
        </div>

        <article className="sheet">
          <header className="sheet__header">
            <span className={`kind-badge kind-badge--${document.kind}`}>{DOCUMENT_KIND_LABELS[document.kind] ?? document.kind}</span>
            <DocumentTitle document={document} onSaved={onMetaSaved} disabled={fromCache} readOnly={readOnly} />
            {document.meeting && (
              <p className="doc-meeting" data-testid="doc-meeting">
                {formatMeeting(document.meeting)}
              </p>
            )}
          </header>
          <EditorSurface snapshot={snapshot} status={save.placeholderStatus ?? 'connecting'} readOnly={readOnly} />
        </article>
      </div>
    </>
  );
}
