/** Small typed builders for Block Kit, and the escaping every piece of user text goes through. */
import type { ActionsBlock, Button, ContextBlock, DividerBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { cleanText } from '../../../domain/message.js';

/**
 * Slack's control characters in mrkdwn are &, < and >. Escaping them means user text can never
 * become `<!channel>`, a mention or a disguised link.
 */
export const esc = (text: string | null | undefined): string =>
  cleanText(text ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Plain words shown as written: a `*`, `_`, `~` or backtick where mrkdwn would open bold, italics,
 * strike or code gets an invisible break before it, so a name like "*Admin*" is not drawn bold.
 * (Inside a word, as in an email's `_`, nothing opens, and nothing is added.)
 */
export const literal = (escaped: string): string =>
  // most text has none of the four marks: nothing to look at word by word (&, < and > are esc's)
  !/[*_~`]/.test(escaped) ? escaped : escaped.replace(/\S+/g, (word) => (/^(https?:\/\/|www\.|mailto:)/i.test(word) ? word : word.replace(/(^|[^\p{L}\p{N}\u200B])([*_~`])/gu, '$1\u200B$2')));

/** Slack's limits: a section's text is at most 3000 characters, a header 150, a button's text 75. */
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export const header = (text: string): HeaderBlock => ({ type: 'header', text: { type: 'plain_text', text: clip(text, 150), emoji: true } });

export const section = (mrkdwn: string, accessory?: Button): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(mrkdwn, 3000) },
  ...(accessory ? { accessory } : {}),
});

export const fields = (items: string[]): SectionBlock => ({
  type: 'section',
  fields: items.slice(0, 10).map((t) => ({ type: 'mrkdwn', text: clip(t, 2000) })),
});

export const context = (...mrkdwn: string[]): ContextBlock => ({
  type: 'context',
  elements: mrkdwn.slice(0, 10).map((t) => ({ type: 'mrkdwn', text: clip(t, 3000) })),
});

export const divider = (): DividerBlock => ({ type: 'divider' });

export const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger', url?: string): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: clip(text, 75), emoji: true },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
  ...(url ? { url } : {}),
});

export const actions = (blockId: string | undefined, ...elements: Button[]): ActionsBlock => ({
  type: 'actions',
  ...(blockId ? { block_id: blockId } : {}),
  elements,
});

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/**
 * A message: `text` is the notification fallback, written plain by the renderers and escaped here
 * (Slack parses it like mrkdwn, so a name could otherwise ping a whole channel). It never exceeds
 * Block Kit's 50 blocks; what does not fit is summarised in the last one.
 */
export function message(plainText: string, blocks: KnownBlock[]): SlackMessage {
  const text = clip(literal(esc(plainText)), 3000);
  if (blocks.length <= 50) return { text, blocks };
  const kept = blocks.slice(0, 49);
  return { text, blocks: [...kept, context(`…and ${blocks.length - 49} more not shown here.`)] };
}
