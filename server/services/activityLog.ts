import { randomUUID } from 'node:crypto';
import type { ActivityEntry, ActivityType } from '../../shared/domain/index.js';
import type { Logger } from '../logger.js';
import type { ActivityStore } from '../storage/AccountStore.js';

export type ActivityFields = Pick<ActivityEntry, 'groupId' | 'documentId' | 'targetUserId' | 'details'>;

/**
 * Who did what, for admins (`GET /api/admin/activity`) and, as a copy, in the server log.
 * Entries are stored before the request answers; a failed write is logged and does not fail the
 * request (the change itself already happened and must be reported as such).
 * Never put a password, hash or secret into `details`.
 */
export class ActivityLog {
  constructor(
    private readonly store: ActivityStore,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(type: ActivityType, actorId: string | null, fields: ActivityFields = {}): Promise<void> {
    const entry: ActivityEntry = { id: randomUUID(), at: this.now().toISOString(), type, actorId, ...fields };
    this.logger.info({ activity: entry }, `activity: ${type}`);
    try {
      await this.store.appendActivity(entry);
    } catch (error) {
      this.logger.error({ err: error, activity: entry }, 'activity entry could not be stored');
    }
  }

  list(query: { groupId?: string; limit: number }): Promise<ActivityEntry[]> {
    return this.store.listActivity(query);
  }
}
