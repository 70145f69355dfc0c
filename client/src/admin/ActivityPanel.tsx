import { useRef, useState } from 'react';
import type { ActivityEntry, GroupView, PublicUser } from '../../../shared/domain/index.js';
import { api } from '../api/client.js';
import { describeError } from '../components/ErrorState.js';
import { formatRelativeTime, formatTimestamp } from '../lib/format.js';
import { useResource } from '../lib/useResource.js';
import { activityDetails, activityLabel, activityTone } from './activityLabels.js';

const PAGE = 50;

interface Props {
  groups: GroupView[];
  users: PublicUser[];
}

/** The activity log (sign-ins, failed sign-ins, role changes, invitations…), newest first. */
export function ActivityPanel({ groups, users }: Props) {
  const [groupId, setGroupId] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const activity = useResource((signal) => api.listActivity({ groupId: groupId || undefined, limit }, signal), [groupId, limit]);
  const userName = (id: string | null | undefined) => (id ? (users.find((u) => u.id === id)?.name ?? 'Unknown account') : null);
  const groupName = (id: string | undefined) => (id ? (groups.find((g) => g.id === id)?.name ?? id) : null);
  // While older entries load, keep showing the ones already there instead of an empty list.
  const shown = useRef<ActivityEntry[]>([]);
  if (activity.status === 'ready') shown.current = activity.data;
  else if (activity.status === 'error') shown.current = [];
  const entries = shown.current;

  return (
    <section className="panel" aria-labelledby="activity-heading" data-testid="activity-panel">
      <div className="panel__header">
        <h2 id="activity-heading" className="panel__title">
          Activity
        </h2>
        <label className="field field--inline">
          <span className="field__label">Group</span>
          <select
            className="input input--compact"
            value={groupId}
            onChange={(e) => {
              setGroupId(e.target.value);
              setLimit(PAGE);
            }}
            data-testid="activity-group"
          >
            <option value="">All groups and the workspace</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {activity.status === 'error' && (
        <p className="panel__message" role="alert">
          The activity could not be loaded: {describeError(activity.error)}
        </p>
      )}
      {activity.status === 'ready' && entries.length === 0 && <p className="panel__message panel__message--quiet">Nothing recorded yet.</p>}
      {entries.length > 0 && (
        <ol className="activity-list" aria-busy={activity.status === 'loading'}>
          {entries.map((entry) => {
            const actor = userName(entry.actorId);
            const target = userName(entry.targetUserId);
            const group = groupName(entry.groupId);
            const details = activityDetails(entry);
            return (
              <li key={entry.id} className={`activity-row activity-row--${activityTone(entry.type)}`} data-testid="activity-row" data-type={entry.type}>
                <time className="activity-row__time" dateTime={entry.at} title={formatTimestamp(entry.at)}>
                  {formatRelativeTime(entry.at)}
                </time>
                <span className="activity-row__what">{activityLabel(entry.type)}</span>
                <span className="activity-row__context">
                  {[actor && `by ${actor}`, target && target !== actor && `for ${target}`, group && `in ${group}`, ...details].filter(Boolean).join(' · ')}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {activity.status === 'ready' && entries.length >= limit && (
        <div className="panel__footer">
          <button type="button" className="button" onClick={() => setLimit((n) => n + PAGE)} data-testid="activity-more">
            Show older entries
          </button>
        </div>
      )}
    </section>
  );
}
