/** Block Kit for reconciling a pool with the ATLAS.ti account portal: the form and its report. */
import type { KnownBlock, ModalView } from '@slack/types';
import { PRODUCT, type LicenseUsage, type ReconcileReport } from '../../../domain/index.js';
import { PROJECT_ACTIONS, RECONCILE_MODAL, VIEWS, seatValue } from '../../../handlers/slack/action-ids.js';
import { actions, button, context, esc, header, licenseOptions, message, section, type SlackMessage } from './blocks.js';

const SHOWN = 40;

export function reconcileModal(usages: LicenseUsage[]): ModalView {
  const options = licenseOptions(usages);
  const first = options[0];
  return {
    type: 'modal',
    callback_id: VIEWS.reconcile,
    title: { type: 'plain_text', text: 'Reconcile a license' },
    submit: { type: 'plain_text', text: 'Compare' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`Compare a license with the user list exported from the ${PRODUCT} account portal. Emails are compared exactly: account emails are case sensitive.`),
      {
        type: 'input',
        block_id: RECONCILE_MODAL.license.block,
        label: { type: 'plain_text', text: 'License' },
        element: { type: 'static_select', action_id: RECONCILE_MODAL.license.action, options, ...(first ? { initial_option: first } : {}), placeholder: { type: 'plain_text', text: 'Pick a license' } },
      },
      {
        type: 'input',
        block_id: RECONCILE_MODAL.csv.block,
        label: { type: 'plain_text', text: 'The portal\'s user list (CSV)' },
        hint: { type: 'plain_text', text: 'Paste the exported file\'s content, header line included: the column whose header contains "email" is read.' },
        element: { type: 'plain_text_input', action_id: RECONCILE_MODAL.csv.action, multiline: true, placeholder: { type: 'plain_text', text: 'Name,Email\nAlice Smith,Alice.Smith@uni.edu' } },
      },
    ],
  };
}

const list = (items: string[]): string => items.slice(0, SHOWN).join('\n') + (items.length > SHOWN ? `\n…and ${items.length - SHOWN} more` : '');

export function reconcileReport(r: ReconcileReport): SlackMessage {
  const blocks: KnownBlock[] = [header(`${r.licenseName}: compared with the ${PRODUCT} portal`)];
  blocks.push(
    section(
      r.confirmed.length
        ? `:white_check_mark: *In both (${r.confirmed.length})*, now marked as joined:\n${list(r.confirmed.map((c) => `• ${esc(c.name)} \`${esc(c.email)}\``))}`
        : ':white_check_mark: *In both*: nobody yet.',
    ),
  );
  if (r.caseOnly.length) {
    blocks.push(
      section(
        `:warning: *Different only in letter case (${r.caseOnly.length})*: account emails are case sensitive, so these are different accounts. Fix the email in the portal or invite them again with the portal's spelling.\n` +
          list(r.caseOnly.map((c) => `• ${esc(c.name)}: here \`${esc(c.here)}\`, in the portal \`${esc(c.portal)}\``)),
      ),
    );
  }
  if (r.missing.length) {
    blocks.push(
      section(`:hourglass_flowing_sand: *Accepted here, not in the portal (${r.missing.length})*: their hand-off did not happen. Resend it:\n${list(r.missing.map((m) => `• ${esc(m.name)} \`${esc(m.email)}\``))}`),
    );
    // a Block Kit actions block holds at most 25 buttons
    for (let i = 0; i < Math.min(r.missing.length, SHOWN); i += 5) {
      const chunk = r.missing.slice(i, i + 5);
      blocks.push(actions(`reconcile:${chunk[0]!.seatId}`, ...chunk.map((m) => button(`Resend: ${m.name}`.slice(0, 75), PROJECT_ACTIONS.resendHandoff, seatValue(m.seatId)))));
    }
  }
  if (r.unknown.length) {
    blocks.push(
      section(
        `:question: *In the portal, never invited here (${r.unknown.length})*: they joined some other way, most likely with a shared code or link.${r.hasLink ? ' If that should not happen, rotate the license\'s invitation link in the portal and set the new one here (`/atlas license link`).' : ' If that should not happen, rotate the license\'s invitation code in the portal.'}\n` +
          list(r.unknown.map((e) => `• \`${esc(e)}\``)),
      ),
    );
  }
  if (r.unreadable) blocks.push(context(`${r.unreadable} row${r.unreadable === 1 ? '' : 's'} of the list held no email address and ${r.unreadable === 1 ? 'was' : 'were'} skipped.`));
  const plain = `${r.licenseName}: ${r.confirmed.length} in both, ${r.missing.length} not in the portal, ${r.unknown.length} never invited here, ${r.caseOnly.length} differ in case.`;
  return message(plain, blocks.slice(0, 50));
}
