/**
 * Rows as the domain sees them, for both engines: their tables have the same columns (the
 * PostgreSQL schema mirrors SQLite's), so one mapping serves both.
 */
import type { AuditEntry, Invitation, License, Person, Platform, TeamsConversationRef } from '../domain/index.js';
import type { auditLog, invitations, licenses, people } from './schema/index.js';

export const toPerson = (r: typeof people.$inferSelect): Person => ({
  id: r.id,
  email: r.email,
  slackTeamId: r.slackTeamId,
  slackUserId: r.slackUserId,
  slackDmChannel: r.slackDmChannel,
  teamsTenantId: r.teamsTenantId,
  teamsAadId: r.teamsAadId,
  teamsUserId: r.teamsUserId,
  teamsConversation: (r.teamsConversation as TeamsConversationRef | null) ?? null,
  displayName: r.displayName,
  tz: r.tz,
});

export const toLicense = (r: typeof licenses.$inferSelect): License => ({
  id: r.id,
  name: r.name,
  seats: r.seats,
  seatModel: r.seatModel,
  memberCap: r.memberCap,
  createdAt: r.createdAt,
  ...(r.retiredAt !== null ? { retiredAt: r.retiredAt } : {}),
});

export const toInvitation = (r: typeof invitations.$inferSelect): Invitation => ({ ...r, platform: r.platform as Platform });

export const toAuditEntry = (r: typeof auditLog.$inferSelect): AuditEntry => ({
  at: r.at,
  platform: r.platform as AuditEntry['platform'],
  actorUserId: r.actorUserId,
  actorPersonId: r.actorPersonId,
  action: r.action,
  subjectType: r.subjectType as AuditEntry['subjectType'],
  subjectId: r.subjectId,
  ...(r.details ? { details: r.details as Record<string, unknown> } : {}),
});
