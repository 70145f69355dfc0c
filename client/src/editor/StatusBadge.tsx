import { CloseCode } from '../../../shared/protocol/index.js';
import type { SaveTracker } from './saveTracker.js';
import { displayStatus, STATUS_LABELS, type DisplayStatus, type SaveState } from './saveStatus.js';
import { useSaveSelector } from './useSaveSelector.js';

const DETAILS: Record<DisplayStatus, string> = {
  connecting: 'Connecting to the server…',
  offline: 'The server cannot be reached. Your changes are kept on this device and are sent when the connection returns.',
  saving: 'Sending your changes to the server…',
  saved: 'All your changes are stored on the server.',
  error: 'The server closed the connection to this document.',
  'read-only': 'You can read this document but not change it. Changes by others appear as they are made.',
};

/** What the badge shows: the status, and `retrying` for a connection the server refused to load. */
function badgeState(state: SaveState, readOnly: boolean): DisplayStatus | 'retrying' {
  const status = displayStatus(state, readOnly);
  return status === 'connecting' && state.lastCloseCode === CloseCode.RoomLoadFailed ? 'retrying' : status;
}

/**
 * The header's save indicator. `data-status` is the stable hook for tests; the label is what a
 * person reads, and it changes politely for screen readers. It subscribes to the tracker itself
 * and re-renders only when what it shows changes (not for every frame sent or acknowledged),
 * right after the frame that shows the keystroke that changed it.
 */
export function StatusBadge({ tracker, readOnly = false }: { tracker: SaveTracker | null; readOnly?: boolean }) {
  // *Saving* comes with every keystroke: shown after the frame that shows the keystroke (VIEW-5).
  const shown = useSaveSelector(tracker, (state) => badgeState(state, readOnly), Object.is, (next) => next === 'saving');
  const retrying = shown === 'retrying';
  const status: DisplayStatus = shown === 'retrying' ? 'connecting' : shown;
  return (
    <span
      className={`status-badge status-badge--${status}`}
      data-testid="status"
      data-status={status}
      role="status"
      aria-live="polite"
      data-tooltip={retrying ? 'The server could not load this document. Trying again…' : DETAILS[status]}
    >
      <span className="status-badge__dot" aria-hidden="true" />
      <span className="status-badge__label">{retrying ? 'Retrying…' : STATUS_LABELS[status]}</span>
    </span>
  );
}
