/** The platform-neutral nouns of the domain. Times are epoch milliseconds. */

export type Platform = 'slack' | 'teams' | 'system';

/** Who is acting, mapped at the edge from a platform identity to a known person. */
export interface Actor {
  platform: Platform;
  /** the platform's own user id (Slack `U…`), kept for the audit log */
  userId: string;
  personId: number;
}

export interface Person {
  id: number;
  email: string | null;
  slackTeamId: string | null;
  slackUserId: string | null;
  slackDmChannel: string | null;
  /** Teams: tenant and AAD object id (the identity), the Teams user id (29:…), and where to message them */
  teamsTenantId?: string | null;
  teamsAadId?: string | null;
  teamsUserId?: string | null;
  teamsConversation?: TeamsConversationRef | null;
  displayName: string | null;
  tz: string | null;
}

/** What the Teams side needs to message a person proactively (a Bot Framework conversation reference). */
export interface TeamsConversationRef {
  serviceUrl: string;
  conversationId: string;
  tenantId: string;
  botId: string;
  botName?: string;
}

/** How a pool counts its seats: see capacity.ts. */
export type SeatModel = 'concurrent' | 'assigned';

export interface License {
  id: number;
  name: string;
  /** concurrent: people using the software at the same time; assigned: members */
  seats: number;
  seatModel: SeatModel;
  /** concurrent only: the most members (accepted and invited) the pool takes; null for no limit */
  memberCap: number | null;
  createdAt: number;
  /** set once the pool was retired (it is then left out of every list, and takes no invitation) */
  retiredAt?: number;
}

export interface LicenseUsage {
  license: License;
  /** members who accepted (assigned: seats taken) */
  occupied: number;
  /** pending license invitations (assigned: the seats they hold) */
  reserved: number;
  /** the warning level, where a verb worked it out with the settings (see capacity.ts) */
  level?: 'ok' | 'warn' | 'full';
}

export type InvitationStatus = 'pending' | 'waiting_for_seat' | 'accepted' | 'declined' | 'revoked' | 'expired';

/** The two invitations: a seat of a license pool, or access to one project. */
type InvitationKind = 'license' | 'project';

export interface Invitation {
  id: number;
  kind: InvitationKind;
  /** license invitations: the pool */
  licenseId: number | null;
  /** project invitations: the project, the owner's words, and (Desktop) the link revealed on accepting */
  projectId: number | null;
  message: string | null;
  desktopLink: string | null;
  inviteeId: number;
  inviteeEmail: string | null;
  inviterId: number;
  status: InvitationStatus;
  tokenHash: string;
  platform: Platform;
  createdAt: number;
  sentAt: number;
  expiresAt: number;
  remindersSent: number;
  lastRemindedAt: number | null;
  confirmRequestedAt: number | null;
  decidedAt: number | null;
  decidedBy: number | null;
  dmChannel: string | null;
  dmTs: string | null;
  /** why the last message to the invitee could not be delivered, if it could not */
  deliveryProblem: string | null;
  /** the bulk run it was sent in */
  runId: number | null;
}

/**
 * Where a seat stands in ATLAS.ti itself: accepted in chat but not yet `handed_over` (`awaiting`),
 * handed over (an admin added the person in the account portal), or `joined` (the person said it works).
 */
export type HandoffState = 'awaiting' | 'handed_over' | 'joined';

export interface Seat {
  id: number;
  licenseId: number;
  personId: number;
  email: string | null;
  invitationId: number | null;
  status: 'occupied' | 'released';
  occupiedAt: number;
  handoff: HandoffState;
  handedOverAt: number | null;
  handedOverBy: number | null;
  joinedAt: number | null;
  /** how it is (to be) handed over */
  handoffVia: 'admin' | 'link' | 'webhook';
}

export type Edition = 'desktop' | 'web';

export interface Project {
  id: number;
  name: string;
  ownerId: number;
  edition: Edition;
  createdAt: number;
}

/** A Web member, or the holder of a Desktop copy. */
export interface ProjectAccess {
  id: number;
  projectId: number;
  personId: number;
  email: string | null;
  kind: 'member' | 'copy';
  invitationId: number | null;
  createdAt: number;
  /** Web: whether the owner added them in ATLAS.ti Web yet; a Desktop copy is handed over on accepting */
  handoff: 'awaiting' | 'handed_over';
  handedOverAt: number | null;
  handedOverBy: number | null;
}

export interface ReturnedCopy {
  id: number;
  projectId: number;
  fromPersonId: number;
  link: string;
  note: string | null;
  createdAt: number;
}

export interface SeatRequest {
  id: number;
  personId: number;
  email: string;
  /** the project invitation that waits on this seat; null: the person asked for themselves */
  projectInvitationId: number | null;
  requestedBy: number;
  status: 'pending' | 'approved' | 'denied';
  decidedBy: number | null;
  licenseId: number | null;
  licenseInvitationId: number | null;
  /** why they ask (a self-service request) */
  reason: string | null;
  /** the admin's reason, on deny */
  decisionNote: string | null;
  createdAt: number;
  decidedAt: number | null;
}

export interface AuditEntry {
  at: number;
  platform: Platform;
  actorUserId: string | null;
  actorPersonId: number | null;
  action: string;
  subjectType: 'license' | 'invitation' | 'seat' | 'admin' | 'person' | 'project' | 'seat_request';
  subjectId: number | null;
  details?: Record<string, unknown>;
}

/** The system itself, for jobs and automatic changes. */
export const SYSTEM_ACTOR: Actor = { platform: 'system', userId: 'system', personId: 0 };
