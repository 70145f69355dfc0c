import type { ReactNode } from 'react';
import type { GroupStanding } from '../../../shared/domain/index.js';
import { standingLabel } from '../auth/capabilities.js';
import { Icon } from '../components/icons.js';
import { finalCloseMessage } from './closeMessages.js';

export function Banner({ tone, testId, children }: { tone: 'info' | 'warning' | 'error'; testId: string; children: ReactNode }) {
  return (
    <div className={`banner banner--${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}

export function FinalCloseBanner({ code, reason, unsaved }: { code: number; reason: string; unsaved: boolean }) {
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

/**
 * Where the toolbar is for people who may edit: says plainly that this document is read-only
 * for you, and why, so nobody wonders why typing does nothing.
 */
export function ReadOnlyBar({ standing }: { standing: GroupStanding | undefined }) {
  const role = standing ? standingLabel(standing) : null;
  return (
    <div className="read-only-bar" data-testid="read-only-bar">
      <span className="read-only-badge" data-testid="read-only-badge">
        <Icon name="lock" size={15} /> Read only
      </span>
      <span className="read-only-bar__text">
        {role && standing !== 'admin'
          ? `As a ${role.toLowerCase()} in this group you can read this document and follow changes live, but not edit it.`
          : 'You can read this document and follow changes live, but not edit it.'}
      </span>
    </div>
  );
}
