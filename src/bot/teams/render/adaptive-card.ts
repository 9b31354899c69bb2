/**
 * Teams shows the same messages as Slack: the Block Kit the renderers build from domain data is
 * translated here into an Adaptive Card (version 1.5), so the words, the order and the buttons are
 * the same on both platforms and no message is written twice.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { SlackMessage } from '../../../handlers/slack/context.js';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: unknown[];
  actions?: unknown[];
}

const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Slack mrkdwn (already escaped for Slack) → Teams markdown. */
function mrkdwnToMarkdown(text: string): string {
  return (
    text
      // brackets in people's words must not become Teams links (only the bot's own links do): a
      // zero-width space between "]" and "(" breaks the link syntax without showing a backslash
      .replace(/\]\(/g, ']\u200b(')
      // links: <url|label> and <url>
      .replace(/<(https?:\/\/[^|>]+)\|([^>]+)>/g, '[$2]($1)')
      .replace(/<(https?:\/\/[^>]+)>/g, '[$1]($1)')
      // in Teams the command words are typed to the bot, without "/atlas"
      .replace(/`\/atlas ([^`]*)`/g, '`$1`')
      .replace(/\/atlas:? /g, '')
      // Slack's own words, where Teams has its own
      .replace(/this Slack workspace/g, 'this organisation')
      // *bold* → **bold**, _italic_ stays
      .replace(/(^|[\s(>])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/g, '$1**$2**')
      // emoji codes Slack renders; Teams shows them as text, so the common ones become characters
      .replace(/:([a-z_]+):/g, (m, name: string) => EMOJI[name] ?? '')
      // Slack's escapes back to characters (Adaptive Card text is not HTML)
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/^>/gm, '> ')
      .trim()
  );
}

const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  no_entry_sign: '🚫',
  no_entry: '⛔',
  warning: '⚠️',
  bulb: '💡',
  link: '🔗',
  key: '🔑',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  wastebasket: '🗑️',
  envelope_with_arrow: '📩',
  incoming_envelope: '📨',
  repeat: '🔁',
  x: '❌',
  lock: '🔒',
  information_source: 'ℹ️',
  bell: '🔔',
  file_folder: '📁',
  inbox_tray: '📥',
  outbox_tray: '📤',
  raising_hand: '🙋',
  arrows_counterclockwise: '🔄',
  tada: '🎉',
  thinking_face: '🤔',
  heavy_minus_sign: '➖',
  ballot_box_with_check: '☑️',
  grey_question: '❔',
  bust_in_silhouette: '👤',
  calendar: '📅',
  large_green_circle: '🟢',
  large_orange_circle: '🟠',
  red_circle: '🔴',
};

const textBlock = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text: mrkdwnToMarkdown(text), wrap: true, ...extra });

/**
 * Teams' renderer joins the lines of one TextBlock into a paragraph (a single newline becomes a
 * space), so each line is a TextBlock of its own, close to the one before; a ``` block's lines are
 * shown in a monospace font.
 */
function textBlocks(text: string, extra: Record<string, unknown> = {}): unknown[] {
  const out: unknown[] = [];
  let code = false;
  let gap = false;
  for (const raw of text.split('\n')) {
    let line = raw;
    const fences = (line.match(/```/g) ?? []).length;
    const inCode = code || line.startsWith('```');
    line = line.replace(/```/g, '');
    if (fences % 2 === 1) code = !code;
    if (line.trim() === '') {
      gap = true;
      continue;
    }
    out.push(textBlock(line, { ...extra, ...(out.length ? { spacing: gap ? 'Small' : 'None' } : {}), ...(inCode ? { fontType: 'Monospace' } : {}) }));
    gap = false;
  }
  return out;
}

/** A button becomes Action.Execute (universal actions), falling back to Action.Submit on older clients. */
function action(b: { action_id?: string; value?: string; url?: string; style?: string; text: { text: string } }) {
  if (b.url) return { type: 'Action.OpenUrl', title: b.text.text, url: b.url };
  const data = { actionId: b.action_id, value: b.value };
  return {
    type: 'Action.Execute',
    title: b.text.text,
    verb: b.action_id,
    data,
    ...(b.style === 'primary' ? { style: 'positive' } : b.style === 'danger' ? { style: 'destructive' } : {}),
    fallback: { type: 'Action.Submit', title: b.text.text, data },
  };
}

function blockToElements(block: KnownBlock): unknown[] {
  switch (block.type) {
    case 'header':
      return [textBlock(block.text.text, { size: 'Large', weight: 'Bolder' })];
    case 'section': {
      const out: unknown[] = [];
      if (block.text) out.push(...textBlocks(block.text.text));
      if (block.fields?.length) {
        out.push({
          type: 'ColumnSet',
          columns: block.fields.map((f) => ({ type: 'Column', width: 'stretch', items: textBlocks(f.text) })),
        });
      }
      if (block.accessory && block.accessory.type === 'button') out.push({ type: 'ActionSet', actions: [action(block.accessory)] });
      return out;
    }
    case 'context':
      return block.elements.flatMap((e) => ('text' in e && typeof e.text === 'string' ? textBlocks(e.text, { size: 'Small', isSubtle: true }) : []));
    case 'divider':
      return [{ type: 'TextBlock', text: ' ', separator: true, spacing: 'Medium' }];
    case 'actions':
      return [{ type: 'ActionSet', actions: block.elements.flatMap((e) => (e.type === 'button' ? [action(e)] : [])) }];
    default:
      return [];
  }
}

export function toAdaptiveCard(message: SlackMessage): AdaptiveCard {
  const body = message.blocks.flatMap(blockToElements);
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: body.length ? body : [textBlock(message.text)],
  };
}

/** A card as a message attachment, with the plain text beside it for notifications. */
export function cardActivity(message: SlackMessage) {
  return {
    type: 'message' as const,
    summary: mrkdwnToMarkdown(message.text).slice(0, 200),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: toAdaptiveCard(message) }],
  };
}

/**
 * A Slack modal as a Teams dialog's card: the same fields, ids `block.action`, and each field's
 * problem shown under it. Slack's people picker has no Teams twin here; the email field stands in.
 */
export function modalToAdaptiveCard(view: ModalView, errors: Record<string, string> = {}, data: Record<string, unknown> = {}): AdaptiveCard {
  const body: unknown[] = [];
  for (const block of view.blocks as KnownBlock[]) {
    if (block.type !== 'input') {
      body.push(...blockToElements(block).filter((e) => (e as { type: string }).type !== 'ActionSet'));
      continue;
    }
    const el = block.element as {
      type: string;
      action_id: string;
      multiline?: boolean;
      max_length?: number;
      placeholder?: { text: string };
      options?: { text: { text: string }; value: string }[];
      initial_option?: { value: string };
      initial_value?: string;
    };
    const id = `${block.block_id}.${el.action_id}`;
    const label = `${block.label.text}${block.optional ? '' : ' *'}`;
    // what the person typed comes back when the form is shown again with its problems
    const typed = typeof data[id] === 'string' ? (data[id]) : undefined;
    const common = { id, label, isRequired: false };
    switch (el.type) {
      case 'plain_text_input':
      case 'url_text_input':
      case 'email_text_input':
        body.push({
          type: 'Input.Text',
          ...common,
          isMultiline: Boolean(el.multiline),
          ...(el.max_length ? { maxLength: el.max_length } : {}),
          ...(el.type === 'url_text_input' ? { style: 'Url' } : el.type === 'email_text_input' ? { style: 'Email' } : {}),
          ...(el.placeholder ? { placeholder: el.placeholder.text } : {}),
          ...(typed ?? el.initial_value ? { value: typed ?? el.initial_value } : {}),
        });
        break;
      case 'static_select':
      case 'radio_buttons':
        body.push({
          type: 'Input.ChoiceSet',
          ...common,
          style: el.type === 'radio_buttons' ? 'expanded' : 'compact',
          choices: (el.options ?? []).map((o) => ({ title: o.text.text, value: o.value })),
          ...(typed ?? el.initial_option?.value ? { value: typed ?? el.initial_option?.value } : {}),
        });
        break;
      default:
        continue; // the Slack people picker: people are named by email in Teams
    }
    if (block.hint) body.push({ type: 'TextBlock', text: mrkdwnToMarkdown(block.hint.text), size: 'Small', isSubtle: true, wrap: true, spacing: 'None' });
    const problem = errors[block.block_id ?? ''];
    if (problem) body.push({ type: 'TextBlock', text: mrkdwnToMarkdown(problem), color: 'Attention', wrap: true, spacing: 'None' });
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: view.submit ? [{ type: 'Action.Submit', title: view.submit.text, data }] : [],
  };
}
