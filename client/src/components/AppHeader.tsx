import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useIdentity } from '../identity/IdentityContext.js';
import { initials } from '../identity/identity.js';

export interface Crumb {
  label: string;
  to?: string;
}

interface Props {
  crumbs?: Crumb[];
  /** Extra controls on the right, before the identity button (status, avatars). */
  actions?: ReactNode;
  /** Off where the page shows the person another way (the document's avatars). */
  showIdentity?: boolean;
}

/** The sticky bar on every page: brand, breadcrumb, page actions, and who you are. */
export function AppHeader({ crumbs = [], actions, showIdentity = true }: Props) {
  const { identity, editIdentity } = useIdentity();
  return (
    <header className="app-header">
      <div className="app-header__inner">
        <nav className="breadcrumb" aria-label="Breadcrumb">
          <Link to="/" className="brand" aria-label="Roundtable — all groups">
            <span className="brand__mark" aria-hidden="true">
              <svg viewBox="0 0 24 24" width="22" height="22">
                <circle cx="12" cy="12" r="10" fill="currentColor" />
                <circle cx="12" cy="12" r="4.2" fill="#fff" />
                {Array.from({ length: 8 }, (_, i) => {
                  const a = (i * Math.PI) / 4;
                  return <circle key={i} cx={12 + 7.2 * Math.cos(a)} cy={12 + 7.2 * Math.sin(a)} r="1.1" fill="#ffcc00" />;
                })}
              </svg>
            </span>
            <span className="brand__name">Roundtable</span>
          </Link>
          {crumbs.map((crumb, index) => (
            <span key={index} className="breadcrumb__item">
              <span className="breadcrumb__sep" aria-hidden="true">
                /
              </span>
              {crumb.to ? (
                <Link to={crumb.to} className="breadcrumb__link">
                  {crumb.label}
                </Link>
              ) : (
                <span className="breadcrumb__current" aria-current="page">
                  {crumb.label}
                </span>
              )}
            </span>
          ))}
        </nav>
        <div className="app-header__actions">
          {actions}
          {identity && showIdentity && (
            <button
              type="button"
              className="identity-button"
              onClick={editIdentity}
              title="Change your name or colour"
              data-testid="identity-button"
            >
              <span className="avatar avatar--small" style={{ backgroundColor: identity.color }} aria-hidden="true">
                {initials(identity.name)}
              </span>
              <span className="identity-button__name">{identity.name}</span>
            </button>
          )}
        </div>
      </div>
    </header>
  );
}
