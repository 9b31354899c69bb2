/**
 * The message model (src/domain/message.ts) and the forms (src/domain/form.ts) as Teams draws
 * them: Adaptive Cards 1.5. Words are RichTextBlocks of TextRuns, which Teams shows as they are
 * (no markdown is read in a TextRun, so a person's `*`, `_` or `[x](y)` stay characters), one block
 * per line because Teams joins the lines of one block into a paragraph. Marks become run styles
 * (bold, italic, monospace, a link's own action), a command is the words typed to the bot, and
 * buttons are Action.Execute with an Action.Submit fallback for older clients.
 */
import { ICONS, cleanText, type Block, type Button, type Form, type FormField, type Icon, type Inline, type Message, type Span } from '../../../domain/index.js';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: unknown[];
  actions?: unknown[];
}

const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

type RunStyle = { size?: 'Small' | 'Large'; isSubtle?: boolean; weight?: 'Bolder'; fontType?: 'Monospace' };

function run(span: Span, style: RunStyle): Record<string, unknown> | null {
  // no bidi control or zero-width character reaches the card
  const s: Span = 'text' in span && typeof span.text === 'string' ? { ...span, text: cleanText(span.text) } : span;
  switch (s.kind) {
    case 'text':
      return s.text ? { type: 'TextRun', text: s.text, ...style } : null;
    case 'strong':
      return s.text ? { type: 'TextRun', text: s.text, ...style, weight: 'Bolder' } : null;
    case 'em':
      return s.text ? { type: 'TextRun', text: s.text, ...style, italic: true } : null;
    case 'code':
      return s.text ? { type: 'TextRun', text: s.text, ...style, fontType: 'Monospace' } : null;
    case 'command':
      return { type: 'TextRun', text: s.words, ...style, fontType: 'Monospace', weight: 'Bolder' };
    case 'link':
      return /^https?:\/\//.test(s.url)
        ? { type: 'TextRun', text: s.text, ...style, color: 'Accent', underline: true, selectAction: { type: 'Action.OpenUrl', url: s.url, title: s.text } }
        : { type: 'TextRun', text: s.text, ...style };
    case 'chat':
      return { type: 'TextRun', text: 'Teams', ...style };
    case 'workspace':
      return { type: 'TextRun', text: 'this organisation', ...style };
    case 'icon':
      return { type: 'TextRun', text: ICONS[s.name], ...style };
  }
}

function rich(inline: Inline, style: RunStyle = {}, extra: Record<string, unknown> = {}, icon?: Icon): Record<string, unknown> {
  const runs = [...(icon ? [{ type: 'TextRun', text: `${ICONS[icon]} `, ...style }] : []), ...inline.map((s) => run(s, style)).filter((r) => r !== null)];
  return { type: 'RichTextBlock', inlines: runs.length ? runs : [{ type: 'TextRun', text: ' ', ...style }], ...extra };
}

/** Lines, each its own block, close to the one before. */
const stacked = (items: Record<string, unknown>[]): Record<string, unknown>[] => items.map((b, i) => (i === 0 ? b : { ...b, spacing: 'None' }));

function action(b: Button): Record<string, unknown> {
  // asked once first: the button opens a small card that says what follows, with the real button in it
  if (b.confirm) {
    const { confirm, ...real } = b;
    return {
      type: 'Action.ShowCard',
      title: b.label,
      card: {
        type: 'AdaptiveCard',
        body: [rich([{ kind: 'strong', text: confirm.title }]), rich(confirm.text)],
        actions: [action({ ...real, label: confirm.yes })],
      },
    };
  }
  const data = { actionId: b.id, value: b.value };
  return {
    type: 'Action.Execute',
    title: b.label,
    verb: b.id,
    data,
    ...(b.style === 'primary' ? { style: 'positive' } : b.style === 'danger' ? { style: 'destructive' } : {}),
    fallback: { type: 'Action.Submit', title: b.label, data },
  };
}

function element(b: Block): unknown[] {
  switch (b.kind) {
    case 'heading':
      return [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: b.text, size: 'Large', weight: 'Bolder' }] }];
    case 'paragraph':
      return [rich(b.text, {}, {}, b.icon), ...(b.action ? [{ type: 'ActionSet', actions: [action(b.action)] }] : [])];
    case 'lines': {
      const title = b.title ? [rich(b.title, {}, {}, b.icon)] : [];
      const body = b.lines.map((l, i) => {
        if (b.style === 'code') return rich(l, { fontType: 'Monospace' });
        const mark = b.style === 'bullets' ? '• ' : b.style === 'numbers' ? `${i + 1}. ` : '';
        return rich(mark ? [{ kind: 'text', text: mark }, ...l] : l, b.style === 'quote' ? { isSubtle: true } : {}, {}, !b.title && i === 0 ? b.icon : undefined);
      });
      if (b.style === 'quote') return [...title, { type: 'Container', style: 'emphasis', items: stacked(body) }];
      return stacked([...title, ...body]);
    }
    case 'facts':
      return stacked(b.facts.map((f) => rich([{ kind: 'strong', text: `${f.label}: ` }, ...f.value])));
    case 'columns':
      return [
        {
          type: 'ColumnSet',
          columns: b.columns.map((c) => ({
            type: 'Column',
            width: 'stretch',
            items: [rich([{ kind: 'strong', text: c.title }], {}, {}, c.icon), rich(c.text, {}, { spacing: 'None' })],
          })),
        },
      ];
    case 'note':
      return [rich(b.text, { size: 'Small', isSubtle: true }, {}, b.icon)];
    case 'divider':
      return [{ type: 'Container', separator: true, spacing: 'Medium', items: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: ' ', size: 'Small' }] }] }];
    case 'actions':
      return [{ type: 'ActionSet', actions: b.actions.map(action) }];
  }
}

export function toAdaptiveCard(m: Message): AdaptiveCard {
  const body = m.blocks.flatMap(element);
  return { type: 'AdaptiveCard', $schema: SCHEMA, version: '1.5', body: body.length ? body : [rich([{ kind: 'text', text: m.summary }])] };
}

/** A card as a message attachment, with the plain summary beside it for notifications. */
export function cardActivity(m: Message) {
  return {
    type: 'message' as const,
    summary: m.summary.slice(0, 200),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: toAdaptiveCard(m) }],
  };
}

/** A field as dialog inputs; a people picker has no twin here (the form's email field stands in), a file becomes its paste area. */
function inputs(f: FormField, typed: Record<string, unknown>, errors: Record<string, string>): unknown[] {
  const out: unknown[] = [];
  const i = f.input;
  const key = f.input.type === 'file' ? f.input.paste?.key : f.key;
  if (!key || i.type === 'people') return out;
  const id = `${key.block}.${key.action}`;
  const value = typeof typed[id] === 'string' ? (typed[id]) : undefined;
  const label = `${i.type === 'file' ? (i.paste?.label ?? f.label) : f.label}${f.optional ? '' : ' *'}`;
  const common = { id, label, isRequired: false };
  if (i.type === 'choice') {
    out.push({
      type: 'Input.ChoiceSet',
      ...common,
      style: i.style === 'radio' ? 'expanded' : 'compact',
      choices: i.options.map((o) => ({ title: o.description ? `${o.label}: ${o.description}` : o.label, value: o.value })),
      ...(value ?? i.initial ? { value: value ?? i.initial } : {}),
      ...(i.placeholder ? { placeholder: i.placeholder } : {}),
    });
  } else if (i.type === 'text') {
    out.push({
      type: 'Input.Text',
      ...common,
      isMultiline: Boolean(i.multiline),
      ...(i.maxLength ? { maxLength: i.maxLength } : {}),
      ...(i.format === 'url' ? { style: 'Url' } : i.format === 'email' ? { style: 'Email' } : {}),
      ...(i.placeholder ? { placeholder: i.placeholder } : {}),
      ...(value ?? i.initial ? { value: value ?? i.initial } : {}),
    });
  } else if (i.paste) {
    out.push({ type: 'Input.Text', ...common, isMultiline: true, ...(i.paste.placeholder ? { placeholder: i.paste.placeholder } : {}), ...(value ? { value } : {}) });
  }
  const hint = i.type === 'file' ? i.paste?.hint : f.hint;
  if (hint) out.push(rich([{ kind: 'text', text: hint }], { size: 'Small', isSubtle: true }, { spacing: 'None' }));
  const problem = errors[f.key.block];
  if (problem) out.push({ type: 'RichTextBlock', spacing: 'None', inlines: [{ type: 'TextRun', text: problem, color: 'Attention' }] });
  return out;
}

/**
 * A form as a dialog's card: its words, then its fields (input ids `block.action`), each field's
 * problem under it, and what was typed kept when the form comes back with problems. `data` comes
 * back with the answers on submit.
 */
export function formCard(form: Form, errors: Record<string, string> = {}, data: Record<string, unknown> = {}): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: SCHEMA,
    version: '1.5',
    body: [...(form.intro ?? []).flatMap(element).filter((e) => (e as { type: string }).type !== 'ActionSet'), ...form.fields.flatMap((f) => inputs(f, data, errors))],
    actions: [{ type: 'Action.Submit', title: form.submit, data }],
  };
}
