import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { registerSlackHandlers } from '../src/handlers/slack/index.js';
import { ACTIONS, PROJECT_ACTIONS, VIEWS } from '../src/handlers/slack/action-ids.js';
import type { SlackHandlerContext } from '../src/handlers/slack/context.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(resolve(root, 'manifest.json'), 'utf8'));
const schema = JSON.parse(readFileSync(resolve(root, 'test/fixtures/schemas/slack-manifest/manifest.schema.2.0.0.json'), 'utf8'));
// ajv-formats is CommonJS with `exports.default`: under ESM the function may sit one level down
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

/** Registers every listener on a recorder instead of a Bolt app, to compare with the manifest. */
function registered() {
  const seen = { commands: [] as string[], actions: [] as string[], views: [] as string[], shortcuts: [] as string[], events: [] as string[] };
  const recorder = {
    command: (name: string) => seen.commands.push(name),
    action: (id: string) => seen.actions.push(id),
    view: (id: string) => seen.views.push(id),
    shortcut: (id: string) => seen.shortcuts.push(id),
    event: (name: string) => seen.events.push(name),
  };
  registerSlackHandlers(recorder as unknown as App, {} as SlackHandlerContext);
  return seen;
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
});
