/**
 * GET /invite/:token: what the invitation grants and does not grant, its state, and how to accept.
 * POST /invite/:token/accept: asks the invitee to confirm in their own chat DM; the page itself
 * never accepts, so a forwarded link redeems nothing.
 */
import express, { type Request, type Response, type Router } from 'express';
import {
  EDITION_MEANS,
  HOW_TO_GET_PROJECT,
  PRODUCT,
  PROJECT_NEEDS_SEAT,
  SEAT_DOES_NOT_GIVE,
  SEAT_GIVES,
  STATUS_LABEL,
  formatDate,
  openInvitationLink,
  requestAcceptConfirmation,
  type ConfirmationOutcome,
  type DomainDeps,
  type InvitationPage,
} from '../../domain/index.js';
import type { Logger } from '../logger.js';
import { emphasis, html, page } from './html.js';

export interface InvitePageOptions {
  deps: DomainDeps;
  logger: Logger;
  /** tries to find an email-only invitee in chat (e.g. Slack users.lookupByEmail), so they can confirm there */
  linkInvitee?: (token: string) => Promise<void>;
  /** where the invitee confirms, in words: "Slack" */
  chatName: string;
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

function send(res: Response, status: number, body: string): void {
  res.status(status).set(SECURITY_HEADERS).type('html').send(body);
}

const notFound = () =>
  page(
    'Invitation not found',
    `<h1>This link does not work</h1>
<p>It may have been mistyped, or replaced by a newer invitation (a resend makes a fresh link and retires the old one).</p>
<p class="muted">Ask the person who invited you to send it again.</p>`,
  );

function invitationPage(p: InvitationPage, token: string, chatName: string, notice?: string): string {
  const i = p.invitation;
  const stateText: Record<InvitationPage['status'], string> = {
    pending: `This invitation is open until ${formatDate(i.expiresAt)}.`,
    waiting_for_seat: 'This invitation waits until its invitee holds a seat.',
    accepted:
      i.kind === 'license'
        ? 'This invitation was accepted: the seat is taken.'
        : i.edition === 'desktop'
          ? 'This invitation was accepted. The project link was sent to the invitee\'s own Slack DM; it is never shown here.'
          : 'This invitation was accepted: the invitee is a member of the project.',
    declined: 'This invitation was declined.',
    revoked: 'This invitation was withdrawn by a license admin. The link no longer works.',
    expired: `This invitation expired on ${formatDate(i.expiresAt)}. Ask ${i.inviterName} for a new one.`,
  };
  const accept =
    p.status !== 'pending'
      ? ''
      : p.inviteeReachable
        ? `<h2>How to accept</h2>
<p>Accept from the direct message I sent you in ${html(chatName)}, or press the button: I will send a confirmation to ${html(chatName)}, to the account this invitation was made for. Only that person can confirm it.</p>
<form method="post" action="/invite/${html(token)}/accept"><button type="submit">Send me a confirmation in ${html(chatName)}</button></form>`
        : `<h2>How to accept</h2>
<p>This invitation is for <code>${html(p.inviteeEmail)}</code>. Join ${html(chatName)} with exactly this email, then press the button: the confirmation goes to that account only.</p>
<form method="post" action="/invite/${html(token)}/accept"><button type="submit">I have joined: send the confirmation</button></form>`;
  const license = i.kind === 'license';
  const title = license ? `${PRODUCT} license seat` : `${i.edition === 'web' ? 'Web' : 'Desktop'} project: ${i.projectName}`;
  const intro = license
    ? `<strong>${html(i.inviterName)}</strong> invited <strong>${html(i.inviteeName)}</strong> to a seat in the license <strong>${html(i.licenseName)}</strong>.`
    : `<strong>${html(i.inviterName)}</strong> invited <strong>${html(i.inviteeName)}</strong> to the project <strong>${html(i.projectName)}</strong> (owner: ${html(i.ownerName)}).`;
  const gives = license ? SEAT_GIVES : EDITION_MEANS[i.edition];
  const doesNot = license ? SEAT_DOES_NOT_GIVE : PROJECT_NEEDS_SEAT;
  return page(
    license ? `${PRODUCT} license invitation` : `${PRODUCT} project invitation`,
    `<h1>${html(title)}</h1>
<p><span class="state">${html(STATUS_LABEL[p.status])}</span></p>
<p>${intro}</p>
${notice ? `<p class="notice" role="status">${notice}</p>` : ''}
<div class="grid">
  <section class="yes"><h2>What this gives</h2><p>${emphasis(gives)}</p>${i.inviteeEmail ? `<p class="muted">Account email: <code>${html(i.inviteeEmail)}</code> (exact case).</p>` : ''}</section>
  <section class="no"><h2>What this does not give</h2><p>${emphasis(doesNot)}</p></section>
</div>
${license ? `<p>${emphasis(HOW_TO_GET_PROJECT)}</p>` : ''}
<p>${html(stateText[p.status])}</p>
${accept}
<p class="muted">This link was made for one person and works only for them. Invitation #${i.invitationId}.</p>`,
  );
}

function confirmationNotice(o: Exclude<ConfirmationOutcome, { outcome: 'not_found' }>, chatName: string): string {
  switch (o.outcome) {
    case 'sent':
      return `Done: a confirmation is waiting in ${html(chatName)}, in the direct messages of the person this invitation is for. Accept it there.`;
    case 'recently_sent':
      return `A confirmation was sent to ${html(chatName)} a moment ago; please look for it there.`;
    case 'not_pending':
      return 'There is nothing to accept: this invitation is no longer open.';
    case 'not_reachable':
      return `I could not find a ${html(chatName)} account with exactly <code>${html(o.page.inviteeEmail)}</code> yet. Join ${html(chatName)} with that email, then try again, or ask your inviter to use the email of your existing account.`;
  }
}

/**
 * Whether a POST came from another site: the browser says so (`Sec-Fetch-Site: cross-site`), or
 * its `Origin` is neither the bot's public address nor the address it was reached at.
 */
function crossSite(req: Request, publicBaseUrl: string): boolean {
  // a browser that says where the post came from is believed: only the page itself (or the address bar) may
  const site = req.get('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = req.get('origin');
  if (!origin) return false;
  if (origin === 'null') return true;
  const allowed = new Set<string>();
  try {
    allowed.add(new URL(publicBaseUrl).origin);
  } catch {
    // a base URL that does not parse allows only the address the request came to
  }
  if (req.get('host')) allowed.add(`${req.protocol}://${req.get('host')}`);
  return !allowed.has(origin);
}

export function invitePageRouter(o: InvitePageOptions): Router {
  const router = express.Router();
  router.get('/invite/:token', async (req: Request<{ token: string }>, res) => {
    const p = await openInvitationLink(o.deps, req.params.token);
    if (!p) return send(res, 404, notFound());
    send(res, 200, invitationPage(p, req.params.token, o.chatName));
  });
  router.post('/invite/:token/accept', async (req: Request<{ token: string }>, res) => {
    const token = req.params.token;
    // only the invitation page itself may ask: a form posted from another site is refused
    if (crossSite(req, o.deps.settings.publicBaseUrl)) {
      return send(res, 403, page('Not from this page', '<h1>Not from this page</h1><p>Open your invitation link itself and press the button there. Nothing was changed.</p>'));
    }
    try {
      const before = await openInvitationLink(o.deps, token);
      if (!before) return send(res, 404, notFound());
      if (before.status === 'pending' && !before.inviteeReachable && o.linkInvitee) await o.linkInvitee(token);
      const r = await requestAcceptConfirmation(o.deps, token);
      if (r.outcome === 'not_found') return send(res, 404, notFound());
      send(res, 200, invitationPage(r.page, token, o.chatName, confirmationNotice(r, o.chatName)));
    } catch (e) {
      o.logger.error('invitation page: could not ask for a confirmation', e);
      send(res, 503, page('Please try again', '<h1>Something went wrong</h1><p>Nothing was changed. Please try again in a minute.</p>'));
    }
  });
  return router;
}

