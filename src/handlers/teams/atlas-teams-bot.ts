/**
 * The Teams side of the bot: one TeamsActivityHandler that only translates. Messages are the same
 * command words as `/atlas` in Slack and run the same command table; card buttons (Action.Execute,
 * with an Action.Submit fallback) run the same button table; answers are the same views, rendered
 * as Adaptive Cards.
 */
import {
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TaskModuleRequest,
  type TaskModuleResponse,
} from 'botbuilder';
import { cmd, home, isDomainError, offerDownload, t, type Actor, type Message } from '../../domain/index.js';
import { buttonFor, type ButtonAnswer } from '../buttons.js';
import { COMMANDS, runCommand } from '../commands/index.js';
import { PROJECT_ACTIONS } from '../slack/action-ids.js';
import type { TeamsHandlerContext } from './context.js';
import { TeamsDialogs } from './dialogs.js';

const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';
/** Commands whose answers are safe for a whole channel to read. */
const PUBLIC_COMMANDS = new Set(['help', 'licenses']);
const CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';

/** Teams writes mentions as `<at>Name</at>` with the user in `entities`; the command table reads `<@id|Name>`. */
function commandText(context: TurnContext): string {
  const activity = context.activity;
  let text = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
  for (const e of activity.entities ?? []) {
    const m = e as { type?: string; text?: string; mentioned?: { id?: string; name?: string } };
    if (m.type === 'mention' && m.text && m.mentioned?.id && m.mentioned.id !== activity.recipient?.id) {
      text = text.replace(m.text, `<@${m.mentioned.id}|${m.mentioned.name ?? ''}>`);
    }
  }
  return text.replace(/<at>[^<]*<\/at>/g, '').replace(/&nbsp;/g, ' ').trim();
}

export class AtlasTeamsBot extends TeamsActivityHandler {
  private readonly dialogs: TeamsDialogs;

  constructor(private readonly ctx: TeamsHandlerContext) {
    super();
    this.dialogs = new TeamsDialogs(ctx);
    this.onMessage(async (context, next) => {
      await this.onWords(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.welcome(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.ctx.directory.forgetWelcome(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      if ((context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id)) await this.welcome(context);
      await next();
    });
  }

  private reply(context: TurnContext) {
    return async (m: Message) => {
      await context.sendActivity(this.ctx.toActivity(m));
    };
  }

  /** Installed: remember where to reach this person (or channel); greet with what the bot is for and, in a 1:1 chat, their own overview. */
  private async welcome(context: TurnContext): Promise<void> {
    await this.ctx.directory.rememberConversation(context);
    // an install sends installationUpdate and conversationUpdate: the greeting goes out once
    if (!(await this.ctx.directory.claimWelcome(context))) return;
    const actor = await this.ctx.directory.actor(context);
    await this.reply(context)(this.ctx.views.help(COMMANDS));
    if (context.activity.conversation?.conversationType === 'personal') {
      await this.reply(context)(this.ctx.views.home(await home({ deps: this.ctx.deps, actor, input: undefined })));
    }
  }

  private async onWords(context: TurnContext): Promise<void> {
    await this.ctx.directory.rememberConversation(context);
    const reply = this.reply(context);
    // an Action.Submit fallback from an older client carries the button in `value`
    const value = context.activity.value as { actionId?: string; value?: string } | undefined;
    if (value?.actionId) {
      const answer = await this.press(context, value.actionId, value.value);
      if ('message' in answer) await reply(answer.message);
      return;
    }
    await this.runText(context, commandText(context));
  }

  /** A command as someone in Teams gives it: typed to the bot, or pressed (a corrected command's button). */
  private async runText(context: TurnContext, text: string): Promise<void> {
    // in a channel or group chat everyone reads the answer: private answers stay in the 1:1 chat
    const word = text.split(/\s+/)[0]?.toLowerCase() ?? 'help';
    if (context.activity.conversation?.conversationType !== 'personal' && !PUBLIC_COMMANDS.has(word || 'help')) {
      await this.reply(context)(this.ctx.views.text(`"${word}" answers with private details (people, emails, seats), so ask me in our 1:1 chat: open a chat with me and type it there.`, 'lock'));
      return;
    }
    // the Teams home is the welcome card: `home` draws it again (Slack has its Home tab for this)
    if (word === 'home') {
      await this.reply(context)(this.ctx.views.home(await home({ deps: this.ctx.deps, actor: await this.ctx.directory.actor(context), input: undefined })));
      return;
    }
    let actor: Actor | undefined;
    await runCommand({
      deps: this.ctx.deps,
      views: this.ctx.views,
      logger: this.ctx.logger,
      text,
      actor: async () => (actor ??= await this.ctx.directory.actor(context)),
      reply: this.reply(context),
      people: {
        user: (id) => this.ctx.directory.user(context, id),
        email: (email) => this.ctx.directory.email(context, email),
        emails: (emails) => this.ctx.directory.emails(context, emails),
      },
      openForm: (form, _actor, prefill) => this.dialogs.offer(context, form, { ...prefill }),
      // a bot cannot attach a file to a Teams chat without a consent round trip: a short-lived link instead
      sendFile: async (file) => ({ how: 'link', ...(await offerDownload({ deps: this.ctx.deps, actor: actor ?? (await this.ctx.directory.actor(context)), input: file })) }),
    });
  }

  private async press(context: TurnContext, actionId: string, value: string | undefined): Promise<ButtonAnswer> {
    const run = buttonFor(actionId);
    if (!run) return { message: this.ctx.views.text(t`That button is no longer in use. ${cmd('status')} shows where things stand.`, 'thinking_face'), replace: false };
    try {
      const actor = await this.ctx.directory.actor(context);
      return await run({
        deps: this.ctx.deps,
        views: this.ctx.views,
        actor,
        value,
        openForm: async (f) => {
          await this.dialogs.offer(context, f.form, f);
        },
        runCommand: (text) => this.runText(context, text),
        sendFile: async (file) => ({ how: 'link', ...(await offerDownload({ deps: this.ctx.deps, actor, input: file })) }),
      });
    } catch (e) {
      if (!isDomainError(e)) this.ctx.logger.error(`Teams button ${actionId} failed`, e);
      return { message: this.ctx.views.error(e), replace: false };
    }
  }

  /** Action.Execute: the invitee's own card is replaced by its new state; anyone else only gets an answer. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    await this.ctx.directory.rememberConversation(context);
    const action = (invokeValue as Partial<AdaptiveCardInvokeValue> | undefined)?.action;
    const data = (typeof action?.data === 'object' && action.data !== null ? action.data : {}) as { actionId?: unknown; value?: unknown };
    const verb = typeof action?.verb === 'string' ? action.verb : typeof data.actionId === 'string' ? data.actionId : '';
    const answer = await this.press(context, verb, typeof data.value === 'string' ? data.value : undefined);
    if (!('message' in answer)) return { statusCode: 200, type: MESSAGE_RESPONSE, value: verb === PROJECT_ACTIONS.retryCommand ? 'On it: the answer follows in this chat.' : 'Opening the form…' } as unknown as AdaptiveCardInvokeResponse;
    if (answer.replace) return { statusCode: 200, type: CARD_RESPONSE, value: this.ctx.toCard(answer.message) } as unknown as AdaptiveCardInvokeResponse;
    // an answer that carries something (an export's link) comes as a message in the chat, not only a toast
    if (answer.post) await context.sendActivity(this.ctx.toActivity(answer.message));
    return { statusCode: 200, type: MESSAGE_RESPONSE, value: answer.message.summary } as unknown as AdaptiveCardInvokeResponse;
  }

  // a task/fetch or task/submit may come without a value at all
  protected override async handleTeamsTaskModuleFetch(context: TurnContext, request: TaskModuleRequest | undefined): Promise<TaskModuleResponse> {
    return this.dialogs.fetch(context, request ?? {});
  }

  protected override async handleTeamsTaskModuleSubmit(context: TurnContext, request: TaskModuleRequest | undefined): Promise<TaskModuleResponse> {
    return this.dialogs.submit(context, request ?? {});
  }
}
