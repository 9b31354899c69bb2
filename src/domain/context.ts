import type { Clock, SecretBox, Store } from './ports.js';
import type { Actor } from './model.js';
import type { ReminderWindow } from './reminder-window.js';

export interface DomainSettings {
  /** how long an invitation stays open (INVITE_TTL) */
  inviteTtlMs: number;
  /** base of every personalized link (PUBLIC_BASE_URL) */
  publicBaseUrl: string;
  /** ATLAS_ADMINS: platform user ids or emails */
  configuredAdmins: readonly string[];
  /** whether an admin channel is configured; without one, admin notices go to the inviter's DM */
  hasAdminChannel: boolean;
  /** whether a support channel is configured (ATLAS_SUPPORT_CHANNEL, or the admin channel) */
  hasSupportChannel: boolean;
  /** REMINDER_AFTER, REMINDER_MAX, REMINDER_WINDOW (parsed) */
  reminders: { afterMs: number; max: number; window: ReminderWindow };
  /** LINK_ALLOWED_HOSTS: hosts a shared or returned project link may point at (`*.example.com` for subdomains) */
  linkAllowedHosts: readonly string[];
  /** CONCURRENT_WARN_MEMBERS_PER_SEAT: a concurrent pool warns past this many members per seat (default 4) */
  crowdRatio?: number;
  /** PROVISIONING_WEBHOOK_URL is set: seats and Web members are handed over by the organisation's own system */
  hasProvisioningWebhook?: boolean;
  /**
   * SEAT_REQUEST_APPROVAL and SEAT_REQUEST_DOMAINS (lower case): who may ask for a seat themselves,
   * and whether the bot approves such a request at once (auto) when the pool has room. Absent: manual, any domain.
   */
  seatRequests?: { approval: 'manual' | 'auto'; domains: readonly string[] };
}

export interface DomainDeps {
  store: Store;
  clock: Clock;
  settings: DomainSettings;
  /** for secrets kept at rest; absent, verbs that keep one refuse politely */
  secrets?: SecretBox;
}

/** What every verb receives: its dependencies, who acts, and its input. */
export interface VerbArgs<I> {
  deps: DomainDeps;
  actor: Actor;
  input: I;
}
