/**
 * The sandbox's Slack workspace: a few people, two channels and each person's DM with the bot,
 * kept by the Slack stand-in. This is the part of Slack a person's client would be: it turns a
 * browser click into the signed request Slack would send the bot (slash command, block_actions,
 * view_submission, view_closed, shortcut, app_home_opened), and follows what the bot does through
 * the Web API (messages, ephemeral replies, modals, App Home) to show each person what they would
 * see. The bot itself runs unchanged; nothing here reaches into it.
 */
import { randomBytes } from 'node:crypto';
import {
  STANDIN_APP_ID,
  STANDIN_BOT_USER_ID,
  STANDIN_TEAM_DOMAIN,
  STANDIN_TEAM_ID,
  type RecordedCall,
  type SlackStandIn,
  type StandInFile,
} from './slack-standin.js';
import { blockActionPayload, fakeTriggerId, interactiveBody, postSigned, slashCommandBody, viewSubmissionPayload } from './slack-requests.js';

export interface SandboxPerson {
  id: string;
  name: string;
  realName: string;
  email: string | null;
  role: string;
  color: string;
  tz: string;
  inWorkspace: boolean;
  isBot: boolean;
}

interface SandboxMessage {
  ts: string;
  user: string;
  text: string;
  blocks?: unknown[];
  ephemeral?: boolean;
  edited?: boolean;
}

interface SandboxConversation {
  id: string;
  kind: 'channel' | 'dm';
  name: string;
  messages: SandboxMessage[];
}

export interface PersonView {
  me: string;
  people: SandboxPerson[];
  conversations: SandboxConversation[];
  home: Record<string, unknown> | null;
  modal: { id: string; view: Record<string, unknown>; errors: Record<string, string> } | null;
}

export const ADMIN_CHANNEL = 'C0ADMINS';
const GENERAL_CHANNEL = 'C0GENERAL';
const METHODS_GROUP = 'S0METHODS';

/** The people of the sandbox: an admin, three colleagues, and someone not (yet) in the workspace. */
export const SANDBOX_PEOPLE: readonly Omit<SandboxPerson, 'isBot'>[] = [
  { id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace', email: 'ada@uni.example', role: 'Admin · license manager', color: '#e8912d', tz: 'Europe/Berlin', inWorkspace: true },
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Martin', email: 'alice@uni.example', role: 'Colleague · researcher', color: '#2bac76', tz: 'Europe/Berlin', inWorkspace: true },
  // her ATLAS.ti account is spelled with capitals: project sharing needs the exact spelling
  { id: 'U0BOB', name: 'bob', realName: 'Bob Okafor', email: 'Bob.Okafor@uni.example', role: 'Colleague · PhD student', color: '#1d9bd1', tz: 'America/New_York', inWorkspace: true },
  { id: 'U0CHEN', name: 'chen', realName: 'Chen Wei', email: 'chen@uni.example', role: 'Colleague · project owner', color: '#9b59b6', tz: 'Asia/Shanghai', inWorkspace: true },
  { id: 'U0DANA', name: 'dana', realName: 'Dana Schmidt', email: 'dana@partner.example', role: 'Outside the workspace', color: '#7a7a7a', tz: 'Europe/Berlin', inWorkspace: false },
];

const CHANNELS = [
  { id: ADMIN_CHANNEL, name: 'atlas-admins', adminsOnly: true },
  { id: GENERAL_CHANNEL, name: 'general', adminsOnly: false },
] as const;

interface Ephemeral {
  channel: string;
  user: string;
  from: string;
  ts: string;
  text: string;
  blocks?: unknown[];
}

/** What a response URL answers into: the person and conversation it came from, and the message it may replace. */
interface ResponseTarget {
  user: string;
  channel: string;
  messageTs?: string;
  ephemeralTs?: string;
}

export class SandboxError extends Error {
  override name = 'SandboxError';
}

export class SandboxWorkspace {
  /** bumps on every change anywhere: the page re-renders when it moves */
  version = 1;
  private readonly people: SandboxPerson[];
  private readonly ephemerals: Ephemeral[] = [];
  private readonly modals = new Map<string, string[]>(); // user → stack of view ids, top last
  private readonly errors = new Map<string, Record<string, string>>(); // view id → field errors
  private readonly homes = new Map<string, string>(); // user → published home view id
  private readonly triggers = new Map<string, string>(); // trigger_id → user
  private readonly responses = new Map<string, ResponseTarget>(); // response URL → where it answers
  private readonly unsubscribe: () => void;

  constructor(
    private readonly o: {
      standIn: SlackStandIn;
      /** where the bot receives Slack's requests, e.g. http://127.0.0.1:PORT/slack/events */
      eventsUrl: () => string;
      signingSecret: string;
      /** the sandbox clock (the bot's, fast-forwarded) */
      now: () => number;
      adminIds: string[];
    },
  ) {
    this.people = [
      { id: STANDIN_BOT_USER_ID, name: 'atlas-invite-bot', realName: 'ATLAS Invite Bot', email: null, role: 'App', color: '#4a154b', tz: 'UTC', inWorkspace: true, isBot: true },
      ...SANDBOX_PEOPLE.map((p) => ({ ...p, isBot: false })),
    ];
    for (const p of this.people) if (p.inWorkspace && !p.isBot) this.addToSlack(p);
    this.o.standIn.setChannelMembers(ADMIN_CHANNEL, [STANDIN_BOT_USER_ID, ...this.o.adminIds]);
    this.o.standIn.setChannelMembers(GENERAL_CHANNEL, this.members());
    this.o.standIn.setGroup(METHODS_GROUP, ['U0ALICE', 'U0BOB', 'U0CHEN']);
    this.unsubscribe = this.o.standIn.onCall((c) => this.follow(c));
  }

  dispose(): void {
    this.unsubscribe();
  }

  private bump(): void {
    this.version += 1;
  }

  private addToSlack(p: SandboxPerson): void {
    this.o.standIn.addUser({ id: p.id, name: p.name, real_name: p.realName, ...(p.email ? { email: p.email } : {}), tz: p.tz, team_id: STANDIN_TEAM_ID });
  }

  private members(): string[] {
    return this.people.filter((p) => p.inWorkspace).map((p) => p.id);
  }

  person(id: string | undefined): SandboxPerson {
    const p = this.people.find((x) => x.id === id && !x.isBot) ?? this.people.find((x) => x.id === SANDBOX_PEOPLE[0]!.id)!;
    return p;
  }

  private present(id: string): SandboxPerson {
    const p = this.person(id);
    if (p.id !== id) throw new SandboxError('There is no such person in the sandbox.');
    if (!p.inWorkspace) throw new SandboxError(`${p.realName} is not in the workspace yet: choose "Join the workspace" first.`);
    return p;
  }

  private canSee(user: string, channel: string): boolean {
    if (channel === `D${user}`) return true;
    const c = CHANNELS.find((x) => x.id === channel);
    return Boolean(c && (!c.adminsOnly || this.o.adminIds.includes(user)));
  }

  /** Timestamps for ephemeral answers come from the workspace's one clock, so no two messages share one. */
  private ts(): string {
    return this.o.standIn.nextTs();
  }

  /** Response URLs and trigger ids are remembered for the last few thousand clicks, not forever. */
  private remember<K, V>(map: Map<K, V>, key: K, value: V): void {
    map.set(key, value);
    if (map.size > 5000) map.delete(map.keys().next().value as K);
  }

  private ephemeral(e: Omit<Ephemeral, 'ts'>): void {
    this.ephemerals.push({ ...e, ts: this.ts() });
    this.bump();
  }

  // --- following the bot ------------------------------------------------------------------------

  private follow(c: RecordedCall): void {
    this.bump();
    const ok = c.status === 200 && (c.method === 'response_url' || (c.result as { ok?: boolean } | undefined)?.ok === true);
    if (!ok) return;
    const view = (c.result as { view?: { id: string } } | undefined)?.view;
    switch (c.method) {
      case 'views.open': {
        const user = this.triggers.get(String(c.args.trigger_id));
        if (user && view) this.modals.set(user, [view.id]);
        break;
      }
      case 'views.push': {
        const user = this.triggers.get(String(c.args.trigger_id));
        if (user && view) this.modals.set(user, [...(this.modals.get(user) ?? []), view.id]);
        break;
      }
      case 'views.update':
        if (view) this.errors.delete(view.id);
        break;
      case 'views.publish':
        if (view) this.homes.set(String(c.args.user_id), view.id);
        break;
      case 'chat.postEphemeral': {
        const ts = String((c.result as { message_ts?: string }).message_ts ?? this.ts());
        this.ephemerals.push({ channel: String(c.args.channel), user: String(c.args.user), from: STANDIN_BOT_USER_ID, ts, text: String(c.args.text ?? ''), ...(Array.isArray(c.args.blocks) ? { blocks: c.args.blocks } : {}) });
        break;
      }
      case 'response_url':
        this.answerThroughResponseUrl(c);
        break;
    }
  }

  /** What Slack does with a post to a response URL: replace or delete the original, or answer (ephemeral by default). */
  private answerThroughResponseUrl(c: RecordedCall): void {
    const target = c.url ? this.responses.get(c.url) : undefined;
    if (!target) return;
    const body = c.args as { text?: string; blocks?: unknown[]; replace_original?: boolean | string; delete_original?: boolean | string; response_type?: string };
    const flag = (v: unknown) => v === true || v === 'true';
    const content = { text: body.text ?? '', ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}) };
    const original = target.ephemeralTs ? this.ephemerals.find((e) => e.ts === target.ephemeralTs && e.user === target.user) : undefined;
    if (flag(body.delete_original)) {
      if (original) this.ephemerals.splice(this.ephemerals.indexOf(original), 1);
      else if (target.messageTs) this.o.standIn.deleteMessage(target.channel, target.messageTs);
      return;
    }
    if (flag(body.replace_original)) {
      if (original) {
        original.text = content.text;
        if (content.blocks) original.blocks = content.blocks;
        else delete original.blocks;
      }
      else if (target.messageTs) this.o.standIn.replaceMessage(target.channel, target.messageTs, content);
      return;
    }
    if (body.response_type === 'in_channel') {
      this.o.standIn.postAsUser(target.channel, STANDIN_BOT_USER_ID, content.text, content.blocks);
      return;
    }
    this.ephemerals.push({ channel: target.channel, user: target.user, from: STANDIN_BOT_USER_ID, ts: this.ts(), ...content });
  }

  private responseUrl(target: ResponseTarget): string {
    const url = this.o.standIn.responseUrl();
    this.remember(this.responses, url, target);
    return url;
  }

  private trigger(user: string): string {
    const id = fakeTriggerId();
    this.remember(this.triggers, id, user);
    return id;
  }

  private async send(body: string, what: string): Promise<{ status: number; json?: any; body: string }> {
    let answer;
    try {
      answer = await postSigned(this.o.eventsUrl(), this.o.signingSecret, body);
    } catch (e) {
      throw new SandboxError(`The bot did not answer (${e instanceof Error ? e.message : String(e)}). Is it restarting? Try again in a moment.`);
    }
    if (answer.status !== 200) throw new SandboxError(`The bot answered the ${what} with HTTP ${answer.status}.`);
    return answer;
  }

  // --- what a person does ---------------------------------------------------------------------------

  /** `/atlas <text>` typed in a conversation: mentions become Slack's escaped form, as with should_escape. */
  async command(as: string, channel: string, text: string): Promise<void> {
    const me = this.present(as);
    if (!this.canSee(me.id, channel)) throw new SandboxError('You are not in that conversation.');
    const escaped = this.escapeForCommand(text);
    this.ephemeral({ channel, user: me.id, from: me.id, text: `/atlas ${text}`.trim() });
    const body = slashCommandBody({
      text: escaped,
      user_id: me.id,
      user_name: me.name,
      channel_id: channel,
      response_url: this.responseUrl({ user: me.id, channel }),
      trigger_id: this.trigger(me.id),
    });
    const answer = await this.send(body, 'command');
    // an ack with a message is shown to the person only, like Slack does
    const json = answer.json as { text?: string; blocks?: unknown[] } | undefined;
    if (json && (json.text || json.blocks)) this.ephemeral({ channel, user: me.id, from: STANDIN_BOT_USER_ID, text: json.text ?? '', ...(json.blocks ? { blocks: json.blocks } : {}) });
    else if (!json && answer.body.trim()) this.ephemeral({ channel, user: me.id, from: STANDIN_BOT_USER_ID, text: answer.body });
  }

  /** Slack's escaping of a slash command's text: &, <, > escaped; @name, @group and #channel as their <…> forms. */
  private escapeForCommand(text: string): string {
    const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return escaped
      .replace(/(^|\s)@([a-z0-9._-]+)/gi, (all, lead: string, name: string) => {
        if (name.toLowerCase() === 'methods-2026') return `${lead}<!subteam^${METHODS_GROUP}|@methods-2026>`;
        const p = this.people.find((x) => x.inWorkspace && (x.name === name.toLowerCase() || x.realName.split(' ')[0]!.toLowerCase() === name.toLowerCase()));
        return p ? `${lead}<@${p.id}|${p.name}>` : all;
      })
      .replace(/(^|\s)#([a-z0-9_-]+)/gi, (all, lead: string, name: string) => {
        const c = CHANNELS.find((x) => x.name === name.toLowerCase());
        return c ? `${lead}<#${c.id}|${c.name}>` : all;
      });
  }

  /**
   * A plain message in a channel. The app's Messages tab is read-only, as the manifest sets it
   * (messages_tab_read_only_enabled): there Slack only takes slash commands, and so does the sandbox.
   */
  message(as: string, channel: string, text: string): void {
    const me = this.present(as);
    if (!this.canSee(me.id, channel)) throw new SandboxError('You are not in that conversation.');
    if (channel.startsWith('D')) {
      throw new SandboxError("The app's Messages tab is read-only in Slack: only /atlas commands can be sent here. Try /atlas help.");
    }
    this.o.standIn.postAsUser(channel, me.id, text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    this.bump();
  }

  async action(
    as: string,
    container: { type: 'message'; channel: string; ts: string } | { type: 'view'; viewId: string },
    action: Record<string, unknown>,
    values: Record<string, Record<string, unknown>> = {},
  ): Promise<void> {
    const me = this.present(as);
    const actionTs = this.ts();
    let payload: Record<string, any>;
    if (container.type === 'view') {
      const view = this.o.standIn.getView(container.viewId);
      const mine = (this.modals.get(me.id) ?? []).includes(container.viewId) || this.homes.get(me.id) === container.viewId;
      if (!view || !mine) throw new SandboxError('That view is no longer open.');
      payload = blockActionPayload({ user_id: me.id, action_id: String(action.action_id), view, state: { values }, trigger_id: this.trigger(me.id) }) as Record<string, any>;
    } else {
      if (!this.canSee(me.id, container.channel)) throw new SandboxError('You are not in that conversation.');
      const stored = this.o.standIn.getMessage(container.channel, container.ts);
      const eph = stored ? undefined : this.ephemerals.find((e) => e.ts === container.ts && e.user === me.id);
      if (!stored && !eph) throw new SandboxError('That message is gone.');
      const message = stored ?? { type: 'message', user: eph!.from, ts: eph!.ts, text: eph!.text, blocks: eph!.blocks ?? [] };
      payload = blockActionPayload({
        user_id: me.id,
        action_id: String(action.action_id),
        channel_id: container.channel,
        message,
        response_url: this.responseUrl({ user: me.id, channel: container.channel, ...(stored ? { messageTs: container.ts } : { ephemeralTs: container.ts }) }),
        trigger_id: this.trigger(me.id),
      }) as Record<string, any>;
      if (eph) {
        payload.container = { ...payload.container, is_ephemeral: true };
        delete payload.message;
      }
    }
    payload.user = { ...payload.user, username: me.name, name: me.name };
    payload.actions = [{ ...action, action_ts: actionTs }];
    await this.send(interactiveBody(payload), 'click');
  }

  /** A modal's submit button: Slack's view_submission, then whatever the ack's response_action says. */
  async submit(as: string, viewId: string, values: Record<string, Record<string, unknown>>): Promise<{ errors?: Record<string, string> }> {
    const me = this.present(as);
    const stack = this.modals.get(me.id) ?? [];
    const view = this.o.standIn.getView(viewId);
    if (!view || stack.at(-1) !== viewId) throw new SandboxError('That form is no longer open.');
    const payload = viewSubmissionPayload({ user_id: me.id, callback_id: String(view.callback_id), values, view, trigger_id: this.trigger(me.id) }) as Record<string, any>;
    payload.user = { ...payload.user, username: me.name, name: me.name };
    const answer = await this.send(interactiveBody(payload), 'form');
    const ack = (answer.json ?? {}) as { response_action?: string; errors?: Record<string, string>; view?: Record<string, unknown> };
    this.bump();
    // Slack applies the ack before anything the app does after it; here the app's own views.update
    // may have landed first (same process), and then it is the newer view and stays
    const untouched = this.o.standIn.getView(viewId)?.hash === view.hash;
    const now = this.modals.get(me.id) ?? [];
    switch (ack.response_action) {
      case 'errors':
        this.errors.set(viewId, ack.errors ?? {});
        return { errors: ack.errors ?? {} };
      case 'update':
        if (ack.view && untouched) this.o.standIn.putView(ack.view, viewId);
        this.errors.delete(viewId);
        return {};
      case 'push':
        if (ack.view) this.modals.set(me.id, [...now, String(this.o.standIn.putView(ack.view).id)]);
        return {};
      case 'clear':
        this.modals.delete(me.id);
        return {};
      default:
        this.modals.set(me.id, now.filter((id) => id !== viewId));
        this.errors.delete(viewId);
        return {};
    }
  }

  /** The close button (or ×): the view is gone; the app hears of it when it asked to (notify_on_close). */
  async close(as: string, viewId: string): Promise<void> {
    const me = this.present(as);
    const stack = this.modals.get(me.id) ?? [];
    if (!stack.includes(viewId)) return;
    this.modals.set(me.id, stack.slice(0, stack.indexOf(viewId)));
    this.bump();
    const view = this.o.standIn.getView(viewId);
    if (view?.notify_on_close) {
      await this.send(interactiveBody({ type: 'view_closed', team: { id: STANDIN_TEAM_ID, domain: STANDIN_TEAM_DOMAIN }, user: { id: me.id, username: me.name, name: me.name, team_id: STANDIN_TEAM_ID }, api_app_id: STANDIN_APP_ID, view, is_cleared: false }), 'close');
    }
  }

  async openHome(as: string): Promise<void> {
    const me = this.present(as);
    const body = {
      token: 'standinVerificationToken',
      team_id: STANDIN_TEAM_ID,
      api_app_id: STANDIN_APP_ID,
      event: { type: 'app_home_opened', user: me.id, channel: `D${me.id}`, tab: 'home', event_ts: this.ts(), ...(this.homes.has(me.id) ? { view: this.o.standIn.getView(this.homes.get(me.id)!) } : {}) },
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(this.o.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: STANDIN_TEAM_ID, user_id: STANDIN_BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    };
    await this.send(JSON.stringify(body), 'App Home event');
  }

  async shortcut(as: string, callbackId: string): Promise<void> {
    const me = this.present(as);
    const payload = {
      type: 'shortcut',
      token: 'standinVerificationToken',
      action_ts: this.ts(),
      team: { id: STANDIN_TEAM_ID, domain: STANDIN_TEAM_DOMAIN },
      user: { id: me.id, username: me.name, team_id: STANDIN_TEAM_ID },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: callbackId,
      trigger_id: this.trigger(me.id),
    };
    await this.send(interactiveBody(payload), 'shortcut');
  }

  upload(as: string, name: string, content: string): StandInFile {
    const me = this.present(as);
    return this.o.standIn.addFile(me.id, name, content);
  }

  /** The person outside the workspace joins it: from now on Slack knows them (and their email). */
  join(as: string): void {
    const p = this.person(as);
    if (p.id !== as) throw new SandboxError('There is no such person in the sandbox.');
    if (p.inWorkspace) return;
    p.inWorkspace = true;
    p.role = 'Colleague · joined today';
    this.addToSlack(p);
    this.o.standIn.setChannelMembers(GENERAL_CHANNEL, this.members());
    this.bump();
  }

  // --- what a person sees ---------------------------------------------------------------------------

  viewFor(as: string | undefined): PersonView {
    const me = this.person(as);
    const conversations: SandboxConversation[] = [];
    const ids = me.inWorkspace ? [...CHANNELS.filter((c) => this.canSee(me.id, c.id)).map((c) => c.id), `D${me.id}`] : [];
    for (const id of ids) {
      const stored: SandboxMessage[] = this.o.standIn.messagesIn(id).map((m) => ({ ts: m.ts, user: m.user, text: m.text, ...(m.blocks ? { blocks: m.blocks } : {}), ...(m.edited ? { edited: true } : {}) }));
      const mine: SandboxMessage[] = this.ephemerals
        .filter((e) => e.channel === id && e.user === me.id)
        .map((e) => ({ ts: e.ts, user: e.from, text: e.text, ...(e.blocks ? { blocks: e.blocks } : {}), ephemeral: true }));
      const channel = CHANNELS.find((c) => c.id === id);
      conversations.push({
        id,
        kind: channel ? 'channel' : 'dm',
        name: channel ? channel.name : 'ATLAS Invite Bot',
        messages: [...stored, ...mine].sort((a, b) => Number(a.ts) - Number(b.ts)),
      });
    }
    const homeId = this.homes.get(me.id);
    const top = this.modals.get(me.id)?.at(-1);
    const modalView = top ? this.o.standIn.getView(top) : undefined;
    return {
      me: me.id,
      people: this.people.map((p) => ({ ...p })),
      conversations,
      home: homeId ? (this.o.standIn.getView(homeId) ?? null) : null,
      modal: top && modalView ? { id: top, view: modalView, errors: this.errors.get(top) ?? {} } : null,
    };
  }
}
