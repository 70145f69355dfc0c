import { AccessEvents } from '../auth/accessEvents.js';
import { Authenticator } from '../auth/authenticate.js';
import { InviteService } from '../auth/invites.js';
import { SessionService } from '../auth/sessions.js';
import { TokenService } from '../auth/tokens.js';
import type { Logger } from '../logger.js';
import type { MetaStore } from '../storage/MetaStore.js';
import { AccountService } from './accountService.js';
import { ActivityLog } from './activityLog.js';
import { MembershipService } from './membershipService.js';

/** Everything about who may do what, wired over one MetaStore and one event bus. */
export interface AccessServices {
  events: AccessEvents;
  activity: ActivityLog;
  sessions: SessionService;
  tokens: TokenService;
  invites: InviteService;
  authenticator: Authenticator;
  accounts: AccountService;
  members: MembershipService;
}

export function createAccessServices(options: { meta: MetaStore; logger: Logger; sessionTtlHours: number; now?: () => Date }): AccessServices {
  const { meta, logger } = options;
  const now = options.now ?? (() => new Date());
  const events = new AccessEvents();
  const activity = new ActivityLog(meta, logger, now);
  const sessions = new SessionService({ store: meta, events, ttlHours: options.sessionTtlHours, now });
  const tokens = new TokenService({ store: meta, events, now });
  return {
    events,
    activity,
    sessions,
    tokens,
    invites: new InviteService({ store: meta, workspace: meta, now }),
    authenticator: new Authenticator({ users: meta, sessions, tokens }),
    accounts: new AccountService({ users: meta, sessions, events, activity, now }),
    members: new MembershipService({ store: meta, events, activity, now }),
  };
}
