/**
 * The message model (src/domain/message.ts) as Slack draws it: Block Kit with mrkdwn. Plain words
 * are escaped (&, <, >) so a person's text never becomes a mention, `<!channel>` or a link; marks
 * become mrkdwn (`*bold*`, `_em_`, `code`, `<url|text>`); a command reads `/atlas <words>`.
 */
import type { Button as SlackButton, KnownBlock } from '@slack/types';
import { plain, type Block, type Button, type Inline, type Message, type Span } from '../../../domain/message.js';
import { actions, button, context, divider, esc, fields, header, literal, message, section, type SlackMessage } from './blocks.js';

/** A link target inside `<…|…>`: the characters that would end it early are percent-encoded. */
const target = (url: string) => url.replace(/[<>| ]/g, (c) => encodeURIComponent(c));

function span(s: Span): string {
  switch (s.kind) {
    case 'text':
      return literal(esc(s.text));
    case 'strong':
      return s.text ? `*${literal(esc(s.text))}*` : '';
    case 'em':
      return s.text ? `_${literal(esc(s.text))}_` : '';
    case 'code':
      return s.text ? `\`${esc(s.text).replace(/`/g, "'")}\`` : '';
    case 'command':
      return `\`/atlas ${esc(s.words).replace(/`/g, "'")}\``;
    case 'link':
      return s.text === s.url ? `<${target(s.url)}>` : `<${target(s.url)}|${esc(s.text)}>`;
    case 'chat':
      return 'Slack';
    case 'workspace':
      return 'this Slack workspace';
    case 'icon':
      return `:${s.name}:`;
  }
}

const mrkdwn = (inline: Inline): string => inline.map(span).join('');

const iconed = (icon: string | undefined, text: string) => (icon ? `:${icon}: ${text}` : text);

/** Slack's confirm dialog: a title of at most 100 characters, buttons of at most 30 */
const slackButton = (a: Button): SlackButton => ({
  ...button(a.label, a.id, a.value, a.style),
  ...(a.confirm
    ? {
        confirm: {
          title: { type: 'plain_text', text: a.confirm.title.slice(0, 100) },
          text: { type: 'mrkdwn', text: mrkdwn(a.confirm.text).slice(0, 300) },
          confirm: { type: 'plain_text', text: a.confirm.yes.slice(0, 30) },
          deny: { type: 'plain_text', text: a.confirm.no.slice(0, 30) },
          ...(a.style === 'danger' ? { style: 'danger' as const } : {}),
        },
      }
    : {}),
});


/** Lines into sections, each within Slack's 3000 characters. */
function sectionsOf(first: string | undefined, rendered: string[]): KnownBlock[] {
  const out: KnownBlock[] = [];
  let current = first ?? '';
  for (const l of rendered) {
    const next = current ? `${current}\n${l}` : l;
    if (next.length > 2900 && current) {
      out.push(section(current));
      current = l;
    } else current = next;
  }
  if (current) out.push(section(current));
  return out;
}

function block(b: Block): KnownBlock[] {
  switch (b.kind) {
    case 'heading':
      return [header(b.text)];
    case 'paragraph':
      return [section(iconed(b.icon, mrkdwn(b.text)), b.action ? slackButton(b.action) : undefined)];
    case 'lines': {
      // the icon leads the title, or the first line when there is none (as Teams shows it)
      const title = b.title ? iconed(b.icon, mrkdwn(b.title)) : undefined;
      if (b.style === 'code') {
        const body = b.lines.map((l) => esc(plain(l)).replace(/```/g, "'''")).join('\n');
        return [...(title ? [section(title)] : b.icon ? [section(`:${b.icon}:`)] : []), section(`\`\`\`${body}\`\`\``)];
      }
      const rendered = b.lines.map((l, i) => {
        const mark = b.style === 'bullets' ? '• ' : b.style === 'numbers' ? `${i + 1}. ` : '';
        const text = i === 0 && !b.title ? iconed(b.icon, `${mark}${mrkdwn(l)}`) : `${mark}${mrkdwn(l)}`;
        return b.style === 'quote' ? `>${text}` : text;
      });
      return sectionsOf(title, rendered);
    }
    case 'facts':
      return [fields(b.facts.map((f) => `*${esc(f.label)}*\n${mrkdwn(f.value) || ' '}`))];
    case 'columns':
      return [fields(b.columns.map((c) => `${iconed(c.icon, `*${esc(c.title)}*`)}\n${mrkdwn(c.text)}`))];
    case 'note':
      return [context(iconed(b.icon, mrkdwn(b.text)))];
    case 'divider':
      return [divider()];
    case 'actions':
      return [actions(b.id, ...b.actions.map(slackButton))];
  }
}

export function slackBlocks(blocks: readonly Block[]): KnownBlock[] {
  return blocks.flatMap(block);
}

/**
 * Each message drawn once: nothing changes a message once it is made (a longer one is a new
 * message), so one made once and shown many times (the help) is drawn once. What is drawn is only
 * read (sent as JSON) by whoever posts it, never changed.
 */
const drawn = new WeakMap<Message, SlackMessage>();

/** A message as Slack posts it: its summary as the notification text, its blocks as Block Kit. */
export function toSlack(m: Message): SlackMessage {
  let shown = drawn.get(m);
  if (!shown) {
    shown = message(m.summary, slackBlocks(m.blocks));
    drawn.set(m, shown);
  }
  return shown;
}
