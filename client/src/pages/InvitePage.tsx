import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { GROUP_ROLE_LABELS, type InvitePreview, type MeResponse } from '../../../shared/domain/index.js';
import { ApiError, api } from '../api/client.js';
import { acceptErrorMessage } from '../auth/errorMessages.js';
import { useAuth } from '../auth/AuthContext.js';
import { joinedGroupId } from '../auth/joinedGroup.js';
import { signInHref } from '../auth/redirect.js';
import { AppHeader } from '../components/AppHeader.js';
import { Avatar } from '../components/Avatar.js';
import { describeError, ErrorState } from '../components/ErrorState.js';
import { formatTimestamp } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useResource } from '../lib/useResource.js';
import { NewAccountForm } from './NewAccountForm.js';

/**
 * `/invite/:secret`: the page an invitation link opens. Signed in: one button to join. Not
 * signed in: make an account (which also accepts), or sign in first and come back here.
 */
export function InvitePage() {
  const { secret = '' } = useParams();
  const invite = useResource((signal) => api.getInvite(secret, signal), [secret]);
  usePageTitle('Invitation');

  let body;
  if (invite.status === 'loading') {
    body = <div className="auth-card auth-card--loading" aria-busy="true" />;
  } else if (invite.status === 'error') {
    const unknown = invite.error instanceof ApiError && invite.error.isNotFound;
    body = (
      <ErrorState
        title={unknown ? 'This invitation link is not valid' : 'The invitation could not be loaded'}
        testId="invite-invalid"
        actions={
          unknown ? (
            <Link className="button" to="/">
              Go to Roundtable
            </Link>
          ) : (
            <button type="button" className="button" onClick={invite.reload}>
              Try again
            </button>
          )
        }
      >
        <p>{unknown ? 'Check that you copied the whole link, or ask for a new one.' : describeError(invite.error)}</p>
      </ErrorState>
    );
  } else if (!invite.data.valid) {
    body = (
      <ErrorState title="This invitation can no longer be used" testId="invite-invalid" actions={<Link className="button" to="/">Go to Roundtable</Link>}>
        <p>It has expired, was revoked, or was already used. Ask {invite.data.groupName}’s rapporteur for a new link.</p>
      </ErrorState>
    );
  } else {
    body = <InviteCard secret={secret} invite={invite.data} />;
  }

  return (
    <>
      <AppHeader showAccount={false} />
      <main className="auth-page">{body}</main>
    </>
  );
}

function InviteCard({ secret, invite }: { secret: string; invite: InvitePreview }) {
  const { state, setMe, signOut } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [joining, setJoining] = useState(false);
  const role = GROUP_ROLE_LABELS[invite.role];
  const me = state.status === 'signed-in' ? state.me : null;

  const joined = (before: MeResponse | null, after: MeResponse) => {
    setMe(after);
    const groupId = joinedGroupId(before?.memberships ?? [], after.memberships);
    // Replace: the link holds a single-use secret; Back should not land on it again.
    void navigate(groupId ? `/groups/${encodeURIComponent(groupId)}` : '/', { replace: true });
  };

  const join = async () => {
    setJoining(true);
    setError(null);
    try {
      joined(me, await api.acceptInvite(secret));
    } catch (cause) {
      setJoining(false);
      setError(acceptErrorMessage(cause));
    }
  };

  return (
    <section className="auth-card" data-testid="invite-card" aria-labelledby="invite-title">
      <p className="eyebrow">Invitation</p>
      <h1 id="invite-title" className="auth-card__title">
        Join {invite.groupName}
      </h1>
      <p className="auth-card__hint">
        You are invited as <strong data-testid="invite-role">{role.toLowerCase()}</strong>
        {invite.role === 'reader' ? ': you will read the group’s documents.' : invite.role === 'member' ? ': you will read and write the group’s documents.' : ': you will write the group’s documents and manage its members.'}{' '}
        The link works until {formatTimestamp(invite.expiresAt)}.
      </p>

      {state.status === 'loading' && <div className="auth-card--loading" aria-busy="true" />}
      {me && (
        <>
          <div className="auth-card__who">
            <Avatar name={me.user.name} color={me.user.color} />
            <span>
              Signed in as <strong>{me.user.name}</strong> ({me.user.email})
            </span>
          </div>
          {error && (
            <p className="form-error" role="alert" data-testid="invite-error">
              {error}
            </p>
          )}
          <button type="button" className="button button--primary button--block" onClick={() => void join()} disabled={joining} data-testid="invite-accept">
            {joining ? 'Joining…' : `Join ${invite.groupName} as ${role.toLowerCase()}`}
          </button>
          <p className="auth-card__footer">
            Not you?{' '}
            <button type="button" className="link-button" onClick={() => void signOut(`/invite/${encodeURIComponent(secret)}`)}>
              Sign out
            </button>{' '}
            and create your own account with this link.
          </p>
        </>
      )}
      {(state.status === 'signed-out' || state.status === 'unreachable') && (
        <>
          <NewAccountForm onSubmit={async (account) => joined(null, await api.acceptInvite(secret, account))} errorMessage={acceptErrorMessage} />
          <p className="auth-card__footer">
            Already have an account?{' '}
            <Link to={signInHref(`/invite/${encodeURIComponent(secret)}`)} data-testid="invite-sign-in">
              Sign in
            </Link>{' '}
            and you come back here to join.
          </p>
        </>
      )}
    </section>
  );
}
