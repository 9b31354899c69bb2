/** Opening the project forms, from a command, a shortcut or a button: one place for each form. */
import type { WebClient } from '@slack/web-api';
import { DomainError, licenseInviteOptions, returnOptions, seatRequestOptions, shareOptions, type Actor } from '../../domain/index.js';
import type { FormName, FormPrefill } from '../commands/types.js';
import type { SlackHandlerContext } from './context.js';

export async function openShareForm(ctx: SlackHandlerContext, client: WebClient, actor: Actor, triggerId: string): Promise<void> {
  const mine = await shareOptions({ deps: ctx.deps, actor, input: undefined });
  await client.views.open({ trigger_id: triggerId, view: ctx.render.modal(ctx.views.shareForm(mine, ctx.deps.settings.linkAllowedHosts)) });
}

export async function openReturnForm(ctx: SlackHandlerContext, client: WebClient, actor: Actor, triggerId: string, projectId?: number): Promise<void> {
  const copies = await returnOptions({ deps: ctx.deps, actor, input: undefined });
  if (copies.length === 0) {
    throw new DomainError('NOT_FOUND', 'You hold no copy of a Desktop project, so there is nothing to send back. Copies come from accepting a Desktop project invitation.');
  }
  await client.views.open({ trigger_id: triggerId, view: ctx.render.modal(ctx.views.returnForm(copies, ctx.deps.settings.linkAllowedHosts, projectId)) });
}

async function openInviteForm(ctx: SlackHandlerContext, client: WebClient, actor: Actor, triggerId: string): Promise<void> {
  // a trigger_id lives 3 seconds: the pools come from the database, nothing slow happens first
  const licenses = await licenseInviteOptions({ deps: ctx.deps, actor, input: undefined });
  await client.views.open({ trigger_id: triggerId, view: ctx.render.modal(ctx.views.inviteForm(licenses)) });
}

export async function openRequestSeatForm(ctx: SlackHandlerContext, client: WebClient, actor: Actor, triggerId: string, prefill: FormPrefill = {}): Promise<void> {
  const { licenses, email } = await seatRequestOptions({ deps: ctx.deps, actor, input: undefined });
  await client.views.open({ trigger_id: triggerId, view: ctx.render.modal(ctx.views.requestSeatForm(licenses, email, prefill)) });
}

export function openSlackForm(ctx: SlackHandlerContext, client: WebClient, actor: Actor, triggerId: string, form: FormName, prefill?: FormPrefill): Promise<void> {
  switch (form) {
    case 'request_seat':
      return openRequestSeatForm(ctx, client, actor, triggerId, prefill);
    case 'invite_license':
      return openInviteForm(ctx, client, actor, triggerId);
    case 'share_project':
      return openShareForm(ctx, client, actor, triggerId);
    case 'return_project':
      return openReturnForm(ctx, client, actor, triggerId);
    case 'support':
      return openSupportForm(ctx, client, actor, triggerId);
    case 'reconcile':
      return openReconcileForm(ctx, client, actor, triggerId);
  }
}

async function openReconcileForm(ctx: SlackHandlerContext, client: WebClient, actor: Actor, triggerId: string): Promise<void> {
  // admins only, and there must be a pool: the same check as the invite form's
  const licenses = await licenseInviteOptions({ deps: ctx.deps, actor, input: undefined });
  await client.views.open({ trigger_id: triggerId, view: ctx.render.modal(ctx.views.reconcileForm(licenses)) });
}

async function openSupportForm(ctx: SlackHandlerContext, client: WebClient, actor: Actor, triggerId: string): Promise<void> {
  const me = await ctx.deps.store.transaction((r) => r.people.byId(actor.personId));
  await client.views.open({ trigger_id: triggerId, view: ctx.render.modal(ctx.views.supportForm(me?.email ?? null)) });
}
