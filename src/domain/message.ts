/**
 * What a message says, not how a platform draws it: a headline, paragraphs of words with a few
 * marked spans (a name in bold, an email as code, a command to type, a link), lines and lists,
 * facts, "what you get / what you don't get" side by side, small print, and the buttons. Slack
 * renders it as Block Kit (src/bot/slack/render/block-kit.ts), Teams as an Adaptive Card
 * (src/bot/teams/render/adaptive-card.ts); neither parses markup back out of text, because there
 * is none: plain words are plain words on every platform, whatever characters a person typed.
 */

/** A run of words, plain or marked. */
export type Span =
  | { kind: 'text'; text: string }
  | { kind: 'strong'; text: string }
  | { kind: 'em'; text: string }
  /** exact characters to read or copy: an email, an id */
  | { kind: 'code'; text: string }
  /** words a person types to the bot: Slack shows `/atlas <words>`, Teams the words alone */
  | { kind: 'command'; words: string }
  | { kind: 'link'; text: string; url: string }
  /** the chat the message is read in, named by its renderer: "Slack", "Teams" */
  | { kind: 'chat' }
  /** everyone the bot can reach there: "this Slack workspace", "this organisation" */
  | { kind: 'workspace' }
  /** a pictogram inside a line (a block's own icon is the block's `icon`) */
  | { kind: 'icon'; name: Icon };

export type Inline = readonly Span[];

/**
 * Pictograms, by their common short names (Slack's): Slack shows `:name:`, Teams the character.
 * The names are the only ones a message may use.
 */
export const ICONS = {
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
  page_facing_up: '📄',
  outbox_tray: '📤',
  raising_hand: '🙋',
  arrows_counterclockwise: '🔄',
  tada: '🎉',
  thinking_face: '🤔',
  heavy_minus_sign: '➖',
  ballot_box_with_check: '☑️',
  grey_question: '❔',
  question: '❓',
  bust_in_silhouette: '👤',
  calendar: '📅',
  clipboard: '📋',
  large_green_circle: '🟢',
  large_orange_circle: '🟠',
  red_circle: '🔴',
} as const;

export type Icon = keyof typeof ICONS;

/**
 * Invisible characters that make text lie: bidi controls (an "Eve\u202Egnp.exe" that reads
 * "Eveexe.png"), zero-width characters and the byte-order mark. Every renderer removes them from
 * every piece of text it draws.
 */
// (U+200C and U+200D stay: emoji sequences and scripts such as Persian need them)
const DECEPTIVE = /[\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
export const cleanText = (text: string): string => text.replace(DECEPTIVE, '');

export interface Button {
  kind: 'button';
  label: string;
  /** the button's id in the button table (src/handlers/buttons.ts) */
  id: string;
  value: string;
  style?: 'primary' | 'danger';
  /** what cannot be undone asks once first: Slack shows its confirm dialog, Teams a card with the real button */
  confirm?: Confirm;
}

export interface Confirm {
  title: string;
  /** who it is about and what follows */
  text: Inline;
  yes: string;
  no: string;
}

export type Action = Button;

export type Block =
  | { kind: 'heading'; text: string }
  /** a paragraph; `action` is one button that belongs to it (Slack: beside it; Teams: under it) */
  | { kind: 'paragraph'; icon?: Icon; text: Inline; action?: Button }
  /**
   * lines under an optional title, each shown on a line of its own: `bullets` and `numbers` mark
   * them, `code` shows them as exact text to copy, `quote` as a person's own words
   */
  | { kind: 'lines'; icon?: Icon; title?: Inline; lines: readonly Inline[]; style: 'plain' | 'bullets' | 'numbers' | 'code' | 'quote' }
  /** label: value pairs */
  | { kind: 'facts'; facts: readonly { label: string; value: Inline }[] }
  /** a few short texts side by side (what you get / what you don't get) */
  | { kind: 'columns'; columns: readonly { icon?: Icon; title: string; text: Inline }[] }
  /** small print */
  | { kind: 'note'; icon?: Icon; text: Inline }
  | { kind: 'divider' }
  /** a row of buttons; `id` keeps the row apart from others in the same message */
  | { kind: 'actions'; id: string; actions: readonly Action[] };

export interface Message {
  /** the whole message in one plain sentence: notifications, screen readers, previews */
  summary: string;
  blocks: Block[];
}

type Part = string | number | Span | Inline | null | undefined | false;

const isSpan = (p: unknown): p is Span => typeof p === 'object' && p !== null && !Array.isArray(p) && 'kind' in p;

function push(out: Span[], p: Part): void {
  if (p === null || p === undefined || p === false || p === '') return;
  if (typeof p === 'string' || typeof p === 'number') {
    const text = String(p);
    const last = out.at(-1);
    // neighbouring plain words are one span
    if (last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + text };
    else out.push({ kind: 'text', text });
    return;
  }
  if (isSpan(p)) {
    if (p.kind === 'text') push(out, p.text);
    else out.push(p);
    return;
  }
  for (const s of p) push(out, s);
}

/**
 * Words with marked spans, written as a template: t`${b(name)} invited you to ${code(email)}`.
 * Every interpolated string is plain text, whatever it contains.
 */
export function t(strings: TemplateStringsArray, ...values: Part[]): Inline {
  const out: Span[] = [];
  strings.forEach((s, i) => {
    push(out, s);
    if (i < values.length) push(out, values[i]);
  });
  return out;
}

/** Several parts as one run of words. */
export function words(...parts: Part[]): Inline {
  const out: Span[] = [];
  for (const p of parts) push(out, p);
  return out;
}

export const b = (text: string): Span => ({ kind: 'strong', text });
export const em = (text: string): Span => ({ kind: 'em', text });
export const code = (text: string): Span => ({ kind: 'code', text });
export const cmd = (commandWords: string): Span => ({ kind: 'command', words: commandWords });
export const link = (text: string, url: string): Span => ({ kind: 'link', text, url });
export const icon = (name: Icon): Span => ({ kind: 'icon', name });
/** the chat platform's name, filled in by each renderer */
export const CHAT: Span = { kind: 'chat' };
/** "this Slack workspace" / "this organisation", filled in by each renderer */
export const WORKSPACE: Span = { kind: 'workspace' };

/** Items joined by a separator (", " by default), each item its own spans. */
export function joined(items: readonly Part[], separator = ', '): Inline {
  const out: Span[] = [];
  items.forEach((item, i) => {
    if (i > 0) push(out, separator);
    push(out, item);
  });
  return out;
}

/** The words without marks, for plain text: a command reads as its words in quotes. */
export function plain(inline: Inline | string): string {
  if (typeof inline === 'string') return inline;
  return inline.map(plainSpan).join('');
}

function plainSpan(s: Span): string {
  switch (s.kind) {
    case 'command':
      return `"${s.words}"`;
    case 'link':
      return s.text === s.url ? s.url : `${s.text} (${s.url})`;
    case 'chat':
      return 'chat';
    case 'workspace':
      return 'this workspace';
    case 'icon':
      return ICONS[s.name];
    default:
      return s.text;
  }
}

// the block builders

export const heading = (text: string): Block => ({ kind: 'heading', text });
export const paragraph = (text: Inline | string, icon?: Icon, action?: Button): Block => ({
  kind: 'paragraph',
  text: typeof text === 'string' ? words(text) : text,
  ...(icon ? { icon } : {}),
  ...(action ? { action } : {}),
});
export const lines = (lineList: readonly (Inline | string)[], opts: { title?: Inline | string; icon?: Icon; style?: 'plain' | 'bullets' | 'numbers' | 'code' | 'quote' } = {}): Block => ({
  kind: 'lines',
  lines: lineList.map((l) => (typeof l === 'string' ? words(l) : l)),
  style: opts.style ?? 'plain',
  ...(opts.title !== undefined ? { title: typeof opts.title === 'string' ? words(opts.title) : opts.title } : {}),
  ...(opts.icon ? { icon: opts.icon } : {}),
});
export const facts = (list: readonly { label: string; value: Inline | string }[]): Block => ({
  kind: 'facts',
  facts: list.map((f) => ({ label: f.label, value: typeof f.value === 'string' ? words(f.value) : f.value })),
});
export const columns = (list: readonly { icon?: Icon; title: string; text: Inline | string }[]): Block => ({
  kind: 'columns',
  columns: list.map((c) => ({ ...c, text: typeof c.text === 'string' ? words(c.text) : c.text })),
});
export const note = (text: Inline | string, icon?: Icon): Block => ({ kind: 'note', text: typeof text === 'string' ? words(text) : text, ...(icon ? { icon } : {}) });
export const divider = (): Block => ({ kind: 'divider' });
export const button = (label: string, id: string, value: string, style?: 'primary' | 'danger', confirm?: Confirm): Button => ({
  kind: 'button',
  label,
  id,
  value,
  ...(style ? { style } : {}),
  ...(confirm ? { confirm } : {}),
});
export const actions = (id: string, ...list: Action[]): Block => ({ kind: 'actions', id, actions: list });

export const message = (summary: string, blocks: Block[]): Message => ({ summary, blocks });
