/** The report of reconciling a pool with the ATLAS.ti account portal, as the message model. */
import { PRODUCT, actions, b, button, cmd, code, heading, lines, message, note, t, type Block, type Inline, type Message, type ReconcileReport } from '../../domain/index.js';
import { PROJECT_ACTIONS, seatValue } from '../../handlers/slack/action-ids.js';

const SHOWN = 40;

const list = (items: Inline[]): Inline[] => [...items.slice(0, SHOWN), ...(items.length > SHOWN ? [t`…and ${items.length - SHOWN} more`] : [])];

export function reconcileReport(r: ReconcileReport): Message {
  const blocks: Block[] = [heading(`${r.licenseName}: compared with the ${PRODUCT} portal`)];
  blocks.push(
    r.confirmed.length
      ? lines(list(r.confirmed.map((c) => t`${c.name} ${code(c.email)}`)), { icon: 'white_check_mark', title: t`${b(`In both (${r.confirmed.length})`)}, now marked as joined:`, style: 'bullets' })
      : lines([], { icon: 'white_check_mark', title: t`${b('In both')}: nobody yet.` }),
  );
  if (r.caseOnly.length) {
    blocks.push(
      lines(list(r.caseOnly.map((c) => t`${c.name}: here ${code(c.here)}, in the portal ${code(c.portal)}`)), {
        icon: 'warning',
        title: t`${b(`Different only in letter case (${r.caseOnly.length})`)}: account emails are case sensitive, so these are different accounts. Fix the email in the portal or invite them again with the portal's spelling.`,
        style: 'bullets',
      }),
    );
  }
  if (r.missing.length) {
    blocks.push(
      lines(list(r.missing.map((m) => t`${m.name} ${code(m.email)}`)), {
        icon: 'hourglass_flowing_sand',
        title: t`${b(`Accepted here, not in the portal (${r.missing.length})`)}: their hand-off did not happen. Resend it:`,
        style: 'bullets',
      }),
    );
    // a row of five buttons reads well on both platforms (Block Kit allows 25)
    for (let i = 0; i < Math.min(r.missing.length, SHOWN); i += 5) {
      const chunk = r.missing.slice(i, i + 5);
      blocks.push(actions(`reconcile:${chunk[0]!.seatId}`, ...chunk.map((m) => button(`Resend: ${m.name}`.slice(0, 75), PROJECT_ACTIONS.resendHandoff, seatValue(m.seatId)))));
    }
  }
  if (r.unknown.length) {
    const advice = r.hasLink
      ? t` If that should not happen, rotate the license's invitation link in the portal and set the new one here (${cmd('license link')}).`
      : ' If that should not happen, rotate the license\'s invitation code in the portal.';
    blocks.push(
      lines(list(r.unknown.map((e) => [code(e)])), {
        icon: 'question',
        title: t`${b(`In the portal, never invited here (${r.unknown.length})`)}: they joined some other way, most likely with a shared code or link.${advice}`,
        style: 'bullets',
      }),
    );
  }
  if (r.unreadable) blocks.push(note(`${r.unreadable} row${r.unreadable === 1 ? '' : 's'} of the list held no email address and ${r.unreadable === 1 ? 'was' : 'were'} skipped.`));
  const summary = `${r.licenseName}: ${r.confirmed.length} in both, ${r.missing.length} not in the portal, ${r.unknown.length} never invited here, ${r.caseOnly.length} differ in case.`;
  return message(summary, blocks.slice(0, 50));
}
