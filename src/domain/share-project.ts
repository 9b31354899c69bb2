import { someAsync } from './each.js';
import type { VerbArgs } from './context.js';
import type { Edition, Person, Project } from './model.js';
import type { Repositories } from './ports.js';
import { actorPerson, isAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { isReachable, nameOf } from './people.js';
import { projectSnapshotOf } from './snapshot.js';
import { invitationLink, mintToken } from './tokens.js';
import { tellPerson } from './notify.js';
import { MESSAGE_MAX, projectNameSchema, sharedLinkProblem } from './validation.js';

export interface ShareProjectInput {
  /** an existing project (by id), or a new one of the actor's (by name; an existing one of theirs with that name is reused) */
  project: { id: number } | { name: string };
  /** needed for a new project; an existing project keeps its own */
  edition?: Edition | null;
  invitees: { personId: number; email?: string | null }[];
  desktopLink?: string | null;
  message?: string | null;
}

export type ShareOutcome =
  | { status: 'invited'; invitee: Person; invitationId: number; reachable: boolean }
  | { status: 'waiting_for_seat'; invitee: Person; invitationId: number; email: string }
  | { status: 'email_case_mismatch'; invitee: Person; typed: string; onRecord: string }
  | { status: 'already_pending'; invitee: Person; invitationId: number; since: number }
  | { status: 'already_has_access'; invitee: Person }
  | { status: 'is_owner'; invitee: Person }
  | { status: 'no_email'; invitee: Person };

export interface ShareResult {
  project: Project;
  outcomes: ShareOutcome[];
}

/** A field of the share form a problem belongs to, so the form can show it in the right place. */
export type ShareField = 'project' | 'edition' | 'invitees' | 'desktopLink' | 'message';
const invalid = (field: ShareField, words: string) => new DomainError('INVALID_INPUT', words, { field });

/** The owner of a project, or an admin, may share it and manage its invitations. */
export async function requireOwnerOrAdmin(repos: Repositories, settings: VerbArgs<unknown>['deps']['settings'], project: Project, actorId: number, doing: string): Promise<void> {
  if (project.ownerId === actorId) return;
  const me = await repos.people.byId(actorId);
  if (me && await isAdmin(repos, settings, me)) return;
  throw new DomainError('FORBIDDEN', `Only the owner of "${project.name}" (${nameOf(await repos.people.byId(project.ownerId))}) or a license admin can ${doing}.`);
}

/**
 * Shares one project with people. A project invitation never gives a seat: each invitee's exact
 * account email is checked against the seats the bot knows. An exact match goes ahead; a match
 * that differs only in letter case is not sent (account emails are case sensitive) and the owner
 * is shown the email on record; no seat at all keeps the invitation waiting for a seat, and it goes
 * out by itself once the person accepts one.
 */
export interface ShareForm {
  project: { id: number } | { name: string } | null;
  edition?: Edition | null;
  inviteeCount: number;
  desktopLink?: string | null;
  message?: string | null;
}

/**
 * Everything wrong with a share form, by field, without touching chat: the form is answered with
 * these inside Slack's 3 seconds, and shareProject refuses the same things.
 */
export async function shareFormProblems({ deps, actor, input }: VerbArgs<ShareForm>): Promise<Partial<Record<ShareField, string>>> {
  return await deps.store.transaction(async (repos) => {
    const problems: Partial<Record<ShareField, string>> = {};
    const me = await actorPerson(repos, actor);
    let edition = input.edition ?? null;
    if (!input.project) problems.project = 'Pick one of your projects, or name a new one.';
    else if ('id' in input.project) {
      const existing = await repos.projects.byId(input.project.id);
      if (!existing) problems.project = 'That project no longer exists. Pick another or name a new one.';
      else if (existing.ownerId !== me.id && !await isAdmin(repos, deps.settings, me)) problems.project = `Only the owner of "${existing.name}" or a license admin can share it.`;
      else edition = existing.edition;
    } else {
      const name = projectNameSchema.safeParse(input.project.name);
      if (!name.success) problems.project = name.error.issues[0]?.message ?? 'Give the project a name.';
      else edition = (await repos.projects.byOwnerAndName(me.id, name.data))?.edition ?? edition;
      if (!edition) problems.edition = 'Is it a Desktop or a Web project?';
    }
    if (input.inviteeCount === 0) problems.invitees = 'Pick at least one person, or type an account email.';
    if (edition === 'desktop') {
      const raw = input.desktopLink?.trim();
      if (!raw) problems.desktopLink = "A Desktop project is shared by a link: paste the desktop app's invitation link or a cloud link to the exported project bundle.";
      else {
        const problem = sharedLinkProblem(raw, deps.settings.linkAllowedHosts);
        if (problem) problems.desktopLink = problem;
      }
    }
    const message = input.message?.trim() ?? '';
    if (message.length > MESSAGE_MAX) problems.message = `The message is ${message.length} characters; keep it under ${MESSAGE_MAX}.`;
    return problems;
  });
}

export async function shareProject({ deps, actor, input }: VerbArgs<ShareProjectInput>): Promise<ShareResult> {
  const { store, clock, settings } = deps;
  // who may comes before what was typed: someone else's project is refused as such
  if ('id' in input.project) {
    const projectId = input.project.id;
    await store.transaction(async (repos) => {
      const existing = await repos.projects.byId(projectId);
      if (existing) await requireOwnerOrAdmin(repos, settings, existing, (await actorPerson(repos, actor)).id, 'share it');
    });
  }
  const problems = await shareFormProblems({
    deps,
    actor,
    input: { project: input.project, edition: input.edition ?? null, inviteeCount: input.invitees.length, desktopLink: input.desktopLink ?? null, message: input.message ?? null },
  });
  const first = Object.entries(problems)[0] as [ShareField, string] | undefined;
  if (first) throw invalid(first[0], first[1]);
  const message = input.message?.trim() || null;

  const project = await store.transaction(async (repos): Promise<Project> => {
    const me = await actorPerson(repos, actor);
    if (await someAsync(input.invitees, async ({ personId }) => !(await repos.people.byId(personId)))) {
      throw new DomainError('NOT_FOUND', 'I could not find one of the people you named; nobody was invited. Please try again.');
    }
    if ('id' in input.project) {
      const existing = (await repos.projects.byId(input.project.id))!;
      await requireOwnerOrAdmin(repos, settings, existing, me.id, 'share it');
      return existing;
    }
    const name = input.project.name.trim();
    const mine = await repos.projects.byOwnerAndName(me.id, name);
    if (mine) return mine;
    const now = clock.now();
    const created = await repos.projects.insert({ name, ownerId: me.id, edition: input.edition!, createdAt: now });
    await audit(repos, actor, now, 'project.created', { type: 'project', id: created.id }, { name: created.name, edition: created.edition });
    return created;
  });

  // a Desktop project is handed over by its owner's link; a Web project needs none
  const desktopLink = project.edition === 'desktop' ? (input.desktopLink?.trim() ?? null) : null;

  const outcomes: ShareOutcome[] = [];
  const seen = new Set<number>();
  for (const { personId, email } of input.invitees) {
    if (seen.has(personId)) continue;
    seen.add(personId);
    outcomes.push(
      await store.transaction(async (repos): Promise<ShareOutcome> => {
        const now = clock.now();
        const inviter = await actorPerson(repos, actor);
        await requireOwnerOrAdmin(repos, settings, project, inviter.id, 'share it');
        const invitee = (await repos.people.byId(personId))!;
        const accountEmail = email ?? invitee.email;
        if (!accountEmail) return { status: 'no_email', invitee };
        if (invitee.id === project.ownerId) return { status: 'is_owner', invitee };
        if (await repos.projectAccess.has(project.id, invitee.id)) return { status: 'already_has_access', invitee };
        const open = await repos.invitations.openForProject(project.id, invitee.id);
        if (open) return { status: 'already_pending', invitee, invitationId: open.id, since: open.sentAt };

        const seats = await repos.seats.occupiedByEmailAnyCase(accountEmail);
        const exact = seats.some((s) => s.email === accountEmail);
        if (!exact && seats[0]?.email) {
          // account emails are case sensitive: an invitation to the wrong spelling would never open
          return { status: 'email_case_mismatch', invitee, typed: accountEmail, onRecord: seats[0].email };
        }
        const { token, hash } = mintToken();
        const inv = await repos.invitations.insert({
          kind: 'project',
          licenseId: null,
          projectId: project.id,
          message,
          desktopLink,
          inviteeId: invitee.id,
          inviteeEmail: accountEmail,
          inviterId: inviter.id,
          status: exact ? 'pending' : 'waiting_for_seat',
          tokenHash: hash,
          platform: actor.platform,
          createdAt: now,
          sentAt: now,
          expiresAt: now + settings.inviteTtlMs,
        });
        await audit(repos, actor, now, exact ? 'invitation.created' : 'invitation.waiting_for_seat', { type: 'invitation', id: inv.id }, { projectId: project.id, inviteeId: invitee.id });
        if (!exact) return { status: 'waiting_for_seat', invitee, invitationId: inv.id, email: accountEmail };
        const reachable = isReachable(invitee);
        await sendProjectInvitation(repos, inv.id, invitationLink(settings.publicBaseUrl, token), reachable, inviter.id, now, false);
        return { status: 'invited', invitee, invitationId: inv.id, reachable };
      }),
    );
  }
  // what needs the owner's attention is also kept in their DMs, with the buttons to act on it
  const waiting = outcomes.flatMap((o) => (o.status === 'waiting_for_seat' ? [{ invitationId: o.invitationId, name: nameOf(o.invitee), email: o.email }] : []));
  const mismatches = outcomes.flatMap((o) => (o.status === 'email_case_mismatch' ? [{ name: nameOf(o.invitee), typed: o.typed, onRecord: o.onRecord }] : []));
  if (waiting.length || mismatches.length) {
    await store.transaction((repos) =>
      tellPerson(repos, actor.personId, { type: 'share_attention', projectName: project.name, edition: project.edition, waiting, mismatches }, clock.now()),
    );
  }
  return { project, outcomes };
}

/** The DM to the invitee, or (not in chat) the link to forward to whoever shared it. */
/** Sends the invitee their invitation (or their inviter the link to forward); returns the message's outbox id. */
export async function sendProjectInvitation(repos: Repositories, invitationId: number, link: string, reachable: boolean, forwarderId: number, now: number, resent: boolean): Promise<number> {
  const inv = (await repos.invitations.byId(invitationId))!;
  const snap = await projectSnapshotOf(repos, inv);
  if (reachable) return tellPerson(repos, inv.inviteeId, { type: 'project_invitation', invitation: snap, link, resent }, now);
  return tellPerson(repos, forwarderId, { type: 'forward_link', invitation: snap, link }, now);
}

/** What the share form offers: the actor's own projects. */
export async function shareOptions({ deps, actor }: VerbArgs<void>): Promise<Project[]> {
  return deps.store.transaction(async (repos) => repos.projects.listByOwner((await actorPerson(repos, actor)).id));
}
