/** A person's seats, open invitations and projects, as blocks of the message model. */
import {
  HOW_TO_GET_PROJECT,
  PRODUCT,
  SEAT_DOES_NOT_GIVE,
  b,
  code,
  formatDate,
  heading,
  icon,
  lines,
  nameOf,
  note,
  t,
  words,
  type Block,
  type HandoffState,
  type Inline,
  type PersonStatus,
} from '../../domain/index.js';

/** A seat in its hand-off state: accepted here is not yet usable there. */
const HANDOFF_NOTE: Record<HandoffState, string> = {
  awaiting: `: accepted, but not yet added in the ${PRODUCT} account portal, so ${PRODUCT} does not know it yet`,
  handed_over: `: added in the ${PRODUCT} account portal`,
  joined: `: added in the ${PRODUCT} account portal, and confirmed working`,
};

/** Each list shows at most this many lines (a Teams message holds about 28 KB), then how many more. */
const LINES_SHOWN = 10;

/** `shown`: lines per list (the home, with more on it, shows fewer). */
export function statusBlocks(s: PersonStatus, shown = LINES_SHOWN): Block[] {
  const capped = (all: Inline[]): Inline[] => [...all.slice(0, shown), ...(all.length > shown ? [words(`…and ${all.length - shown} more`)] : [])];
  const who = s.self ? 'You' : nameOf(s.person);
  const hold = s.self ? 'hold' : 'holds';
  const blocks: Block[] = [heading(s.self ? 'Your status' : `Status of ${nameOf(s.person)}`)];
  blocks.push(
    s.seats.length
      ? lines(
          capped(s.seats.map((x) => t`${b(x.licenseName)} for ${code(x.email ?? '?')} since ${formatDate(x.since)}${HANDOFF_NOTE[x.handoff]}`)),
          { icon: 'white_check_mark', title: t`${b('Seats')}: ${who} ${hold} ${s.seats.length === 1 ? 'a seat' : `${s.seats.length} seats`}:`, style: 'bullets' },
        )
      : lines([], { icon: 'heavy_minus_sign', title: t`${b('Seats')}: ${who} ${hold} no ${PRODUCT} seat yet${s.self ? '. A license admin can invite you.' : '.'}` }),
  );
  blocks.push(
    s.pending.length
      ? lines(
          capped(s.pending.map((i) => t`#${i.invitationId} to ${b(i.licenseName)} from ${i.inviterName}, expires ${formatDate(i.expiresAt)}`)),
          { icon: 'hourglass', title: t`${b('Open license invitations')}:`, style: 'bullets' },
        )
      : lines([], { icon: 'heavy_minus_sign', title: t`${b('Open license invitations')}: none.` }),
  );
  const edition = (e: 'web' | 'desktop') => (e === 'web' ? 'Web' : 'Desktop');
  const projectLines: Inline[] = [
    ...s.owns.map((p) => t`${b(p.projectName)} (${edition(p.edition)}): owner`),
    ...s.projects.map((p) =>
      words(
        t`${b(p.projectName)} (${edition(p.edition)}, from ${p.ownerName}): `,
        p.kind === 'copy' ? 'has a copy' : p.handoff === 'handed_over' ? 'member' : 'accepted; the owner has not yet added them in ATLAS.ti Web',
        !p.usable && t` · ${icon('warning')} ${b('unusable until a seat is held again')}`,
      ),
    ),
    ...s.projectInvitations.map((i) =>
      words(t`${b(i.projectName)} (from ${i.ownerName}): `, i.status === 'waiting_for_seat' ? t`invited, ${b('waiting for a seat')}` : `invited, waiting for an answer (#${i.invitationId})`),
    ),
    ...s.returnedCopies.map((c) => t`${b(c.projectName)}: updated copy sent back on ${formatDate(c.at)}`),
  ];
  blocks.push(
    projectLines.length
      ? lines(capped(projectLines), {
          icon: 'file_folder',
          title: t`${b('Projects')}:`,
          style: 'bullets',
        })
      : lines([], { icon: 'heavy_minus_sign', title: t`${b('Projects')}: none shared with ${s.self ? 'you' : 'them'}. A seat alone shares no project.` }),
  );
  blocks.push(note(words(SEAT_DOES_NOT_GIVE, ' ', HOW_TO_GET_PROJECT)));
  if (s.isAdmin) blocks.push(note(`${who} ${s.self ? 'are' : 'is'} a license admin.`));
  return blocks;
}
