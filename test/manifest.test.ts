import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { registerSlackHandlers, slackListeners } from '../src/handlers/slack/index.js';
import { ACTIONS, PROJECT_ACTIONS, VIEWS } from '../src/handlers/slack/action-ids.js';
import { SlackListeners } from '../src/handlers/slack/listeners.js';
import type { SlackHandlerContext } from '../src/handlers/slack/context.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(resolve(root, 'manifest.json'), 'utf8'));
const schema = JSON.parse(readFileSync(resolve(root, 'test/fixtures/schemas/slack-manifest/manifest.schema.2.0.0.json'), 'utf8'));
// ajv-formats is CommonJS with `exports.default`: under ESM the function may sit one level down
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

/**
 * Registers every listener on a recorder instead of a Bolt app, to compare with the manifest. The
 * buttons and the forms are one listener each, over a pattern: their ids are read from the tables
 * behind those listeners, and each must be one the registered pattern matches.
 */
function registered() {
  const seen = { commands: [] as string[], actions: [] as string[], views: [] as string[], shortcuts: [] as string[], events: [] as string[] };
  const patterns = { action: [] as RegExp[], view: [] as RegExp[] };
  const recorder = {
    command: (name: string) => seen.commands.push(name),
    action: (pattern: RegExp) => patterns.action.push(pattern),
    view: (pattern: RegExp) => patterns.view.push(pattern),
    shortcut: (id: string) => seen.shortcuts.push(id),
    event: (name: string) => seen.events.push(name),
  };
  registerSlackHandlers(recorder as unknown as App, {} as SlackHandlerContext);
  const tables = slackListeners({} as SlackHandlerContext);
  seen.actions = [...tables.actions.keys()];
  seen.views = [...tables.views.keys()];
  return { ...seen, patterns };
}

describe('manifest.json', () => {
  it("validates against Slack's published manifest schema", () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check can fail: a manifest without display_information is rejected', () => {
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    const { display_information: _, ...broken } = manifest;
    expect(ajv.compile(schema)(broken)).toBe(false);
  });

  it('declares /atlas with should_escape, interactivity, the DM tab and the scopes the bot uses', () => {
    const cmd = manifest.features.slash_commands.find((c: { command: string }) => c.command === '/atlas');
    expect(cmd?.should_escape).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'im:write', 'users:read', 'users:read.email']));
  });

  it('every command, shortcut and event in the manifest has a listener, and every listener is in the manifest', () => {
    const seen = registered();
    expect(seen.commands.sort()).toEqual(manifest.features.slash_commands.map((c: { command: string }) => c.command).sort());
    expect(seen.shortcuts.sort()).toEqual((manifest.features.shortcuts ?? []).map((s: { callback_id: string }) => s.callback_id).sort());
    expect(seen.events.sort()).toEqual((manifest.settings.event_subscriptions?.bot_events ?? []).slice().sort());
  });

  it('every button and form the views use has a listener', () => {
    const seen = registered();
    expect(seen.actions.sort()).toEqual([...Object.values(ACTIONS), ...Object.values(PROJECT_ACTIONS)].sort());
    expect(seen.views.sort()).toEqual(Object.values(VIEWS).sort());
  });

  it('the buttons and the forms are one listener each, whose pattern matches exactly their ids', () => {
    const { actions, views, patterns } = registered();
    expect(patterns.action).toHaveLength(1);
    expect(patterns.view).toHaveLength(1);
    for (const [pattern, ids, others] of [
      [patterns.action[0]!, actions, views],
      [patterns.view[0]!, views, actions],
    ] as const) {
      for (const id of ids) {
        expect(pattern.test(id), id).toBe(true);
        // only the whole id, as a string listener matched it
        for (const near of [`${id}x`, `x${id}`, `${id}\n`, id.slice(0, -1), id.toUpperCase()]) expect(pattern.test(near), JSON.stringify(near)).toBe(false);
      }
      for (const id of others.filter((o) => !ids.includes(o))) expect(pattern.test(id), id).toBe(false);
      expect(pattern.test('')).toBe(false);
    }
  });

  it('one listener finds the listener of the id clicked; ids are taken literally', async () => {
    const mounted: { pattern: RegExp; listener: (args: unknown) => Promise<void> }[] = [];
    const app = { action: (pattern: RegExp, listener: (args: unknown) => Promise<void>) => mounted.push({ pattern, listener }) };
    const ran: string[] = [];
    const on = new SlackListeners();
    for (const id of ['a.b', 'c+', '(d)']) on.action(id, async () => void ran.push(id));
    expect(() => on.action('a.b', async () => undefined)).toThrow(/two Slack listeners/);
    on.mount(app as unknown as App);
    expect(mounted).toHaveLength(1);
    const [{ pattern, listener }] = mounted as [(typeof mounted)[0]];
    expect(['a.b', 'c+', '(d)'].map((id) => pattern.test(id))).toEqual([true, true, true]);
    expect(['axb', 'cc', 'c', 'd', '(d)x'].map((id) => pattern.test(id))).toEqual([false, false, false, false, false]);
    await listener({ action: { action_id: 'c+' } });
    expect(ran).toEqual(['c+']);
  });
});
