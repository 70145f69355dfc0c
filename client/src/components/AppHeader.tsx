import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { GroupStanding } from '../../../shared/domain/index.js';
import { AccountMenu } from './AccountMenu.js';
import { RoleBadge } from './RoleBadge.js';

export interface Crumb {
  label: string;
  to?: string;
}

interface Props {
  crumbs?: Crumb[];
  /** Extra controls on the right, before the account menu (status, avatars). */
  actions?: ReactNode;
  /** Your standing in the group this page belongs to, shown as a badge; omit outside groups. */
  role?: GroupStanding;
  /** Only the avatar for the account (the document page is crowded with its own avatars). */
  compactAccount?: boolean;
  /** Off on pages seen before signing in (sign-in, invitation). */
  showAccount?: boolean;
}

/** The sticky bar on every page: brand, breadcrumb, page actions, your role, and who you are. */
export function AppHeader({ crumbs = [], actions, role, compactAccount = false, showAccount = true }: Props) {
  return (
    <header className="app-header">
      <div className="app-header__inner">
        <div className="app-header__left">
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
          {role !== undefined && role !== null && <RoleBadge standing={role} />}
        </div>
        <div className="app-header__actions">
          {actions}
          {showAccount && <AccountMenu compact={compactAccount} />}
        </div>
      </div>
    </header>
  );
}
