import type { GroupStanding } from '../../../shared/domain/index.js';
import { standingLabel } from '../auth/capabilities.js';

const ROLE_HINTS: Record<Exclude<GroupStanding, null>, string> = {
  admin: 'Workspace administrator: can do everything in every group',
  rapporteur: 'Rapporteur: edits documents and manages the group’s members',
  member: 'Member: reads and edits the group’s documents',
  reader: 'Reader: reads the group’s documents, cannot change them',
};

/** Your standing in a group ("Rapporteur", "Reader"…), as a small pill; nothing for none. */
export function RoleBadge({ standing, testId = 'role-badge', tooltip = true }: { standing: GroupStanding; testId?: string; tooltip?: boolean }) {
  const label = standingLabel(standing);
  if (standing === null || label === null) return null;
  return (
    <span
      className={`role-badge role-badge--${standing}`}
      data-testid={testId}
      data-role={standing}
      data-tooltip={tooltip ? ROLE_HINTS[standing] : undefined}
      aria-label={ROLE_HINTS[standing]}
    >
      {label}
    </span>
  );
}
