import { useMe } from '../auth/AuthContext.js';
import { AppHeader } from '../components/AppHeader.js';
import { Avatar } from '../components/Avatar.js';
import { RoleBadge } from '../components/RoleBadge.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { PasswordForm } from '../profile/PasswordForm.js';
import { ProfileForm } from '../profile/ProfileForm.js';
import { TokensPanel } from '../profile/TokensPanel.js';

/** `/me`: your name and colour, your password, your API tokens. */
export function ProfilePage() {
  const me = useMe();
  usePageTitle('Your profile');
  return (
    <>
      <AppHeader crumbs={[{ label: 'Your profile' }]} />
      <main className="page page--narrow">
        <section className="page-intro profile-intro">
          <Avatar name={me.user.name} color={me.user.color} size="large" />
          <div>
            <p className="eyebrow">Your profile</p>
            <h1 className="page-title" data-testid="profile-title">
              {me.user.name}
            </h1>
            <p className="lede profile-intro__meta">
              {me.user.email}
              {me.user.isAdmin && <RoleBadge standing="admin" testId="profile-admin-badge" tooltip={false} />}
            </p>
          </div>
        </section>
        <div className="settings">
          <ProfileForm user={me.user} />
          <PasswordForm />
          <TokensPanel />
        </div>
      </main>
    </>
  );
}
