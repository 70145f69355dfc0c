import { EditorContent } from '@tiptap/react';
import type { SessionSnapshot } from './collabSession.js';
import type { DisplayStatus } from './saveStatus.js';

interface Props {
  snapshot: SessionSnapshot;
  status: DisplayStatus;
  /** A read-only session keeps no copy on the device: it always waits for the server. */
  readOnly?: boolean;
}

/** The document body, or a calm placeholder while there is nothing trustworthy to show yet. */
export function EditorSurface({ snapshot, status, readOnly = false }: Props) {
  const { editor, phase } = snapshot;
  if (editor && (phase === 'ready' || phase === 'blocked')) {
    return (
      <div
        className="editor-surface"
        onMouseDown={(event) => {
          // A click in the sheet's empty space below the text puts the cursor at the end.
          if (event.target === event.currentTarget && editor.isEditable) {
            event.preventDefault();
            editor.commands.focus('end');
          }
        }}
      >
        <EditorContent editor={editor} />
      </div>
    );
  }
  let message: string;
  if (phase === 'loading') message = 'Opening the document…';
  else if (readOnly && status !== 'error') message = 'Waiting for the server: the document appears as soon as the connection is made.';
  else if (status === 'connecting' || status === 'offline' || status === 'error')
    message =
      status === 'error'
        ? 'The document could not be loaded from the server.'
        : 'Waiting for the server. This document has not been opened on this device before, so it appears as soon as the connection is made.';
  else message = 'Loading the document from the server…';
  return (
    <div className="editor-surface editor-surface--placeholder" data-testid="editor-loading" aria-busy="true">
      <div className="skeleton-lines" aria-hidden="true">
        <span style={{ width: '92%' }} />
        <span style={{ width: '86%' }} />
        <span style={{ width: '95%' }} />
        <span style={{ width: '60%' }} />
      </div>
      <p className="editor-surface__message">{message}</p>
    </div>
  );
}
