/**
 * The busiest desk still fits each platform: a Slack Home view holds at most 100 blocks, and Teams
 * takes a message of at most about 28 KB (the Connector stand-in refuses a bigger one, as Teams does).
 */
import { expect, it } from 'vitest';
import { views } from '../../src/bot/messages/replies.js';
import { toSlack } from '../../src/bot/slack/render/block-kit.js';
import { cardActivity } from '../../src/bot/teams/render/adaptive-card.js';
import type { Home } from '../../src/domain/index.js';
import { TEAMS_MESSAGE_LIMIT_BYTES } from '../support/teams-standin.js';

const long = (s: string, n: number) => `${s} ${'x'.repeat(n)}`.slice(0, n);
const person = { id: 1, displayName: long('Dr. Alexandra Montgomery-Featherstonehaugh', 60), email: 'alexandra.montgomery@faculty.university.example.edu', slackUserId: 'U1', teamsAadId: null, teamsUserId: null, timezone: null, createdAt: 0 };

function busiestDesk(): Home {
  const license = (i: number) => ({ id: i, name: long(`Campus license ${i}`, 60), seats: 500, seatModel: 'concurrent' as const, memberCap: 2000, createdBy: 1, createdAt: 0 });
  const snapshot = (i: number) => ({
    kind: 'license' as const, invitationId: i, status: 'pending' as const, licenseName: long(`Campus license ${i}`, 60), inviterName: long('Administrator', 60), inviteeName: person.displayName,
    inviteeEmail: person.email, expiresAt: 0, occupied: 1, reserved: 1, seats: 500, seatModel: 'concurrent' as const, memberCap: 2000,
  });
  return {
    status: {
      person: person as never, self: true, isAdmin: true,
      seats: Array.from({ length: 10 }, (_, i) => ({ licenseName: long(`Campus license ${i}`, 60), email: person.email, since: 0, handoff: 'awaiting' as const })),
      pending: Array.from({ length: 20 }, (_, i) => snapshot(i + 1)),
      owns: Array.from({ length: 20 }, (_, i) => ({ projectName: long(`Interview study ${i}`, 80), edition: 'web' as const })),
      projects: [],
      projectInvitations: [],
      returnedCopies: [],
    },
    canAskSeat: false,
    ownRequests: [],
    projects: Array.from({ length: 20 }, (_, i) => ({ projectId: i, name: long(`Interview study ${i}`, 80), edition: 'web' as const, members: Array.from({ length: 20 }, () => person.displayName), open: Array.from({ length: 20 }, (_, j) => ({ invitationId: j, name: person.displayName, waiting: j % 2 === 0 })) })),
    admin: {
      licenses: Array.from({ length: 40 }, (_, i) => ({ license: license(i), occupied: 400, reserved: 50 })),
      pendingCount: 5000,
      seatRequests: Array.from({ length: 40 }, (_, i) => ({ requestId: i, personName: person.displayName, email: person.email, since: 0, licenseName: long(`Campus license ${i}`, 60), why: long('For my doctoral thesis on qualitative methods', 500) })),
      handoffs: Array.from({ length: 40 }, (_, i) => ({ seatId: i, name: person.displayName, email: person.email, licenseName: long(`Campus license ${i}`, 60) })),
    },
  };
}

it('the busiest desk fits a Slack Home view (100 blocks) and a Teams message (28 KB), and says where the rest is', () => {
  const desk = views.home(busiestDesk());
  const slack = toSlack(desk);
  expect(slack.blocks.length).toBeLessThanOrEqual(100);
  const teams = Buffer.byteLength(JSON.stringify(cardActivity(desk)));
  expect(teams).toBeLessThan(TEAMS_MESSAGE_LIMIT_BYTES);
  const text = JSON.stringify(slack.blocks);
  expect(text).toContain('and 37 more: each is posted in the admin channel');
  expect(text).toContain('and 37 more: `/atlas pending` lists them all');
  expect(text).toContain('and 35 more: `/atlas licenses` lists them all');
  // every pool shown keeps its buttons: no pair is cut in half
  const pools = slack.blocks.filter((b) => b.block_id?.startsWith('pool:'));
  expect(pools).toHaveLength(5);
});
