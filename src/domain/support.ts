/**
 * `/atlas support`: gathers what support needs (the exact account email, what the person was
 * trying to do, a description, screenshots) and posts it to the support channel with the person's
 * seats and open invitations attached; the person is told what was sent.
 */
import { z } from 'zod';
import type { VerbArgs } from './context.js';
import { actorPerson } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { nameOf } from './people.js';
import { statusOf } from './person-status.js';
import { tellPerson } from './notify.js';
import { emailSchema } from './validation.js';

export const SUPPORT_TOPICS = {
  cannot_invite: 'Cannot invite users to the license',
  cannot_accept: 'Cannot accept a license invitation',
  license_no_software: 'Has a license but cannot use the software',
  export_import: 'Exporting or importing a project',
  other: 'Something else',
} as const;
export type SupportTopic = keyof typeof SUPPORT_TOPICS;

export const SUPPORT_DESCRIPTION_MAX = 3000;

const supportSchema = z.object({
  email: emailSchema,
  topic: z.enum(Object.keys(SUPPORT_TOPICS) as [SupportTopic, ...SupportTopic[]]),
  description: z.string().trim().min(1).max(SUPPORT_DESCRIPTION_MAX),
  files: z.array(z.object({ name: z.string().max(200), url: z.url() })).max(10),
});

export type SupportField = 'email' | 'topic' | 'description' | 'files';

export interface SupportRequest {
  email: string;
  topic: SupportTopic;
  topicLabel: string;
  description: string;
  files: { name: string; url: string }[];
  fromName: string;
  platform: string;
  seats: string[];
  openInvitations: string[];
}

/** Field problems, in words, before anything is sent. */
export function supportProblems(input: { email: string; topic: string; description: string; files?: unknown[] }): Partial<Record<SupportField, string>> {
  const r = supportSchema.safeParse({ ...input, files: input.files ?? [] });
  if (r.success) return {};
  const problems: Partial<Record<SupportField, string>> = {};
  for (const issue of r.error.issues) {
    const field = String(issue.path[0]) as SupportField;
    problems[field] ??=
      field === 'email'
        ? 'That does not look like an email address. Use your ATLAS.ti account email, exactly as it is spelled (it is case sensitive).'
        : field === 'topic'
          ? 'Pick what you were trying to do.'
          : field === 'description'
            ? `Describe what happened (at most ${SUPPORT_DESCRIPTION_MAX} characters).`
            : 'At most 10 screenshots.';
  }
  return problems;
}

export async function requestSupport({ deps, actor, input }: VerbArgs<{ email: string; topic: string; description: string; files?: { name: string; url: string }[] }>): Promise<SupportRequest> {
  if (!deps.settings.hasSupportChannel) {
    throw new DomainError('INVALID_INPUT', 'No support channel is set up, so I cannot pass this on. Please ask your license admin directly.');
  }
  const problems = Object.entries(supportProblems(input));
  if (problems.length) throw new DomainError('INVALID_INPUT', problems[0]![1], { field: problems[0]![0] });
  const data = supportSchema.parse({ ...input, files: input.files ?? [] });
  return deps.store.transaction(async (repos) => {
    const now = deps.clock.now();
    const me = await actorPerson(repos, actor);
    // the request carries what support will ask first: which seats and invitations this person has
    const status = await statusOf(repos, deps.settings, now, me.id, true);
    const request: SupportRequest = {
      email: data.email,
      topic: data.topic,
      topicLabel: SUPPORT_TOPICS[data.topic],
      description: data.description,
      files: data.files,
      fromName: nameOf(me),
      platform: actor.platform,
      // how each pool counts decides the first question ("all seats busy?" for a concurrent one)
      seats: (await Promise.all((await repos.seats.occupiedBy(me.id)).map(async (s) => {
        const l = await repos.licenses.byId(s.licenseId);
        const how = l?.seatModel === 'concurrent' ? `, concurrent: ${l.seats} at a time` : '';
        return `${l?.name ?? 'a license'} (${s.email ?? '?'}${how})`;
      }))),
      openInvitations: [
        ...status.pending.map((i) => `#${i.invitationId} seat in ${i.licenseName}`),
        ...status.projectInvitations.map((i) => `#${i.invitationId} project ${i.projectName} (${i.status === 'waiting_for_seat' ? 'waiting for a seat' : 'waiting for an answer'})`),
      ],
    };
    await repos.outbox.enqueue({ type: 'support_channel' }, { type: 'support_request', request }, now);
    await tellPerson(repos, me.id, { type: 'support_sent', request }, now);
    await audit(repos, actor, now, 'support.requested', { type: 'person', id: me.id }, { topic: data.topic });
    return request;
  });
}
