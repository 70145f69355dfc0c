import { useState } from 'react';
import { GROUP_ROLE_LABELS, GROUP_ROLES, type GroupRole, type GroupStanding, type MemberEntry } from '../../../shared/domain/index.js';
import { api } from '../api/client.js';
import { groupCapabilities, memberRowControls } from '../auth/capabilities.js';
import { Avatar } from '../components/Avatar.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { describeError } from '../components/ErrorState.js';
import { RoleBadge } from '../components/RoleBadge.js';
import { useResource } from '../lib/useResource.js';
import { AddMemberForm } from './AddMemberForm.js';
import { InvitesPanel } from './InvitesPanel.js';

interface Props {
  groupId: string;
  groupName: string;
  standing: GroupStanding;
  selfId: string;
  isAdmin: boolean;
}

const ROLE_ORDER: Record<GroupRole, number> = { rapporteur: 0, member: 1, reader: 2 };

function sortMembers(members: MemberEntry[]): MemberEntry[] {
  return [...members].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.user.name.localeCompare(b.user.name));
}

/**
 * The group's people. Everyone who can see the group sees who is in it; rapporteurs and admins
 * (`members.manage`) also change roles, remove people and invite new ones.
 */
export function MembersPanel({ groupId, groupName, standing, selfId, isAdmin }: Props) {
  const members = useResource((signal) => api.listMembers(groupId, signal), [groupId]);
  // Changes made here, applied over the loaded list (the server's answers are the truth).
  const [edited, setEdited] = useState<{ from: MemberEntry[]; list: MemberEntry[] } | null>(null);
  const [rowError, setRowError] = useState<{ userId: string; message: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const { canManageMembers } = groupCapabilities(standing);

  const loaded = members.status === 'ready' ? members.data : null;
  // A reload (new `members.data`) drops the local edits: they are in what the server sent.
  const list = sortMembers(edited && edited.from === loaded ? edited.list : (loaded ?? []));
  const edit = (change: (current: MemberEntry[]) => MemberEntry[]) => {
    if (loaded) setEdited((e) => ({ from: loaded, list: change(e && e.from === loaded ? e.list : loaded) }));
  };

  const changeRole = async (member: MemberEntry, role: GroupRole) => {
    setBusy(member.user.id);
    setRowError(null);
    try {
      const saved = await api.setMemberRole(groupId, member.user.id, role);
      edit((current) => current.map((m) => (m.user.id === saved.user.id ? saved : m)));
    } catch (error) {
      setRowError({ userId: member.user.id, message: `The role was not changed: ${describeError(error)}` });
    } finally {
      setBusy(null);
    }
  };

  const remove = async (member: MemberEntry) => {
    setRowError(null);
    try {
      await api.removeMember(groupId, member.user.id);
      edit((current) => current.filter((m) => m.user.id !== member.user.id));
    } catch (error) {
      setRowError({ userId: member.user.id, message: `${member.user.name} was not removed: ${describeError(error)}` });
    }
  };

  const added = (member: MemberEntry) => edit((current) => [...current.filter((m) => m.user.id !== member.user.id), member]);

  return (
    <section className="panel members" aria-labelledby="members-heading" id="members" data-testid="members-panel">
      <div className="panel__header">
        <h2 id="members-heading" className="panel__title">
          Members
          {members.status === 'ready' && <span className="panel__count">{list.length}</span>}
        </h2>
      </div>

      {members.status === 'loading' && (
        <ul className="member-list" aria-busy="true">
          {[0, 1].map((i) => (
            <li key={i} className="document-row document-row--skeleton" />
          ))}
        </ul>
      )}
      {members.status === 'error' && (
        <div className="panel__message" role="alert">
          The members could not be loaded: {describeError(members.error)}{' '}
          <button type="button" className="button button--small" onClick={members.reload}>
            Try again
          </button>
        </div>
      )}
      {members.status === 'ready' && (
        <ul className="member-list">
          {list.map((member) => {
            const isSelf = member.user.id === selfId;
            const controls = memberRowControls(standing, isSelf);
            return (
              <li key={member.user.id} className="member-row" data-testid="member-row" data-user-id={member.user.id} data-role={member.role}>
                <Avatar name={member.user.name} color={member.user.color} />
                <span className="member-row__who">
                  <span className="member-row__name">
                    {member.user.name}
                    {isSelf && <span className="member-row__you">(you)</span>}
                    {!member.user.active && <span className="tag tag--muted">Deactivated</span>}
                  </span>
                  {/* The server shows addresses to admins and rapporteurs only. */}
                  {member.user.email && <span className="member-row__email">{member.user.email}</span>}
                </span>
                <span className="member-row__role">
                  {controls.canChangeRole ? (
                    <select
                      className="input input--compact"
                      value={member.role}
                      aria-label={`Role of ${member.user.name}`}
                      data-testid="member-role-select"
                      disabled={busy === member.user.id}
                      onChange={(event) => void changeRole(member, event.target.value as GroupRole)}
                    >
                      {GROUP_ROLES.map((role) => (
                        <option key={role} value={role}>
                          {GROUP_ROLE_LABELS[role]}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <RoleBadge standing={member.role} testId="member-role" tooltip={false} />
                  )}
                </span>
                <span className="member-row__actions">
                  {controls.canRemove && (
                    <ConfirmButton
                      label="Remove"
                      question={`Remove ${member.user.name}?`}
                      confirmLabel="Remove"
                      testId="member-remove"
                      onConfirm={() => remove(member)}
                    />
                  )}
                </span>
                {rowError?.userId === member.user.id && (
                  <p className="member-row__error" role="alert">
                    {rowError.message}
                  </p>
                )}
              </li>
            );
          })}
          {list.length === 0 && <li className="panel__message">Nobody is in this group yet.</li>}
        </ul>
      )}

      {canManageMembers && isAdmin && members.status === 'ready' && (
        <AddMemberForm groupId={groupId} memberIds={list.map((m) => m.user.id)} onAdded={added} />
      )}
      {canManageMembers && <InvitesPanel groupId={groupId} groupName={groupName} />}
    </section>
  );
}
