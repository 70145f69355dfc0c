import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { initials } from '../identity/identity.js';
import { participantsFromAwareness, type Participant } from './presence.js';

const MAX_SHOWN = 5;

function useParticipants(awareness: Awareness | null, selfUserId: string | null): Participant[] {
  const [participants, setParticipants] = useState<Participant[]>([]);
  useEffect(() => {
    if (!awareness) {
      setParticipants([]);
      return undefined;
    }
    let signature = '';
    const refresh = () => {
      const next = participantsFromAwareness(awareness.getStates(), awareness.clientID, selfUserId);
      // 'change' also fires for every cursor move of every person; re-render only when the
      // list of people itself changed.
      const nextSignature = next.map((p) => `${p.key}:${p.name}:${p.color}:${p.sessions}:${p.isSelf}`).join(',');
      if (nextSignature === signature) return;
      signature = nextSignature;
      setParticipants(next);
    };
    refresh();
    awareness.on('change', refresh);
    return () => awareness.off('change', refresh);
  }, [awareness, selfUserId]);
  return participants;
}

/**
 * Who is in the document right now: one avatar per account, you first.
 *
 * @param hideSelf leave your own avatar out of the row (it is drawn right next to it as the
 *   account menu button); the count and the accessible label still include you.
 */
export function Avatars({ awareness, selfUserId, hideSelf = false }: { awareness: Awareness | null; selfUserId: string | null; hideSelf?: boolean }) {
  const participants = useParticipants(awareness, selfUserId);
  const visible = hideSelf ? participants.filter((p) => !p.isSelf) : participants;
  const shown = visible.slice(0, MAX_SHOWN);
  const hidden = visible.slice(MAX_SHOWN);
  const label =
    participants.length === 0
      ? 'Nobody else here'
      : `In this document: ${participants.map((p) => (p.isSelf ? `${p.name} (you)` : p.name)).join(', ')}`;
  return (
    <div className="avatars" data-testid="avatars" role="group" aria-label={label} data-count={participants.length}>
      {shown.map((participant) => {
        const name = participant.isSelf ? `${participant.name} (you)` : participant.name;
        const tabs = participant.sessions > 1 ? ` · ${participant.sessions} windows` : '';
        return (
          <span
            key={participant.key}
            className={`avatar avatar--stacked${participant.isSelf ? ' avatar--self' : ''}`}
            style={{ backgroundColor: participant.color }}
            data-testid="avatar"
            data-name={participant.name}
            data-self={participant.isSelf ? 'true' : undefined}
            data-tooltip={`${name}${tabs}`}
            aria-label={name}
            tabIndex={0}
          >
            {initials(participant.name)}
          </span>
        );
      })}
      {hidden.length > 0 && (
        <span
          className="avatar avatar--stacked avatar--more"
          data-tooltip={hidden.map((p) => p.name).join(', ')}
          aria-label={`and ${hidden.length} more: ${hidden.map((p) => p.name).join(', ')}`}
          tabIndex={0}
        >
          +{hidden.length}
        </span>
      )}
    </div>
  );
}
