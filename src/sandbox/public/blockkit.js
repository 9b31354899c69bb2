/**
 * A Block Kit → DOM renderer for the sandbox: pure functions, no dependencies.
 *
 * Security: every piece of message or view text reaches the page through createElement and
 * textContent, never innerHTML, and links are kept only for http:, https: and mailto:. Slack's
 * escaping is honoured: `<…>` tokens are parsed first and `&lt; &gt; &amp;` decoded only for display,
 * so escaped user text such as `&lt;!channel&gt;` stays the literal text "<!channel>".
 *
 * ctx = { people, conversations?, onAction(action, el), upload(file) → Promise<file>, errors, confirm? }
 */

export const EMOJI = {
  arrows_counterclockwise: '🔄', ballot_box_with_check: '☑️', bell: '🔔', bulb: '💡', bust_in_silhouette: '👤',
  busts_in_silhouette: '👥', busy_in_silhouette: '👤', envelope_with_arrow: '📩', envelope: '✉️', email: '📧',
  'e-mail': '📧', file_folder: '📁', open_file_folder: '📂', grey_question: '❔', question: '❓', grey_exclamation: '❕',
  exclamation: '❗', heavy_minus_sign: '➖', heavy_plus_sign: '➕', heavy_check_mark: '✔️', hourglass: '⌛',
  hourglass_flowing_sand: '⏳', inbox_tray: '📥', outbox_tray: '📤', incoming_envelope: '📨', information_source: 'ℹ️',
  key: '🔑', large_green_circle: '🟢', large_orange_circle: '🟠', large_yellow_circle: '🟡', large_blue_circle: '🔵',
  red_circle: '🔴', white_circle: '⚪', black_circle: '⚫', link: '🔗', no_entry: '⛔', no_entry_sign: '🚫',
  raising_hand: '🙋', raised_hand: '✋', repeat: '🔁', warning: '⚠️', wastebasket: '🗑️', white_check_mark: '✅',
  x: '❌', heavy_multiplication_x: '✖️', thinking_face: '🤔', tada: '🎉', wave: '👋', lock: '🔒', unlock: '🔓',
  calendar: '📆', date: '📅', spiral_calendar_pad: '🗓️', memo: '📝', pencil: '📝', pencil2: '✏️', mag: '🔍',
  mag_right: '🔎', clock: '🕐', alarm_clock: '⏰', stopwatch: '⏱️', rocket: '🚀', sparkles: '✨', star: '⭐',
  eyes: '👀', thumbsup: '👍', '+1': '👍', thumbsdown: '👎', '-1': '👎', ok_hand: '👌', clap: '👏', pray: '🙏',
  smile: '😄', slightly_smiling_face: '🙂', simple_smile: '🙂', wink: '😉', joy: '😂', heart: '❤️', fire: '🔥',
  zap: '⚡', gear: '⚙️', wrench: '🔧', hammer_and_wrench: '🛠️', package: '📦', paperclip: '📎', pushpin: '📌',
  round_pushpin: '📍', clipboard: '📋', bookmark_tabs: '📑', page_facing_up: '📄', books: '📚', book: '📖',
  chart_with_upwards_trend: '📈', bar_chart: '📊', computer: '💻', desktop_computer: '🖥️', globe_with_meridians: '🌐',
  house: '🏠', office: '🏢', school: '🏫', mortar_board: '🎓', ticket: '🎫', admission_tickets: '🎟️',
  speech_balloon: '💬', loudspeaker: '📢', mega: '📣', point_right: '👉', point_left: '👈', point_up: '☝️',
  point_down: '👇', arrow_right: '➡️', arrow_left: '⬅️', arrow_up: '⬆️', arrow_down: '⬇️', leftwards_arrow_with_hook: '↩️',
  arrow_forward: '▶️', fast_forward: '⏩', back: '🔙', recycle: '♻️', new: '🆕', sos: '🆘', stop_sign: '🛑',
  construction: '🚧', hourglass_done: '⌛', robot_face: '🤖', shield: '🛡️', closed_lock_with_key: '🔐',
  heavy_dollar_sign: '💲', moneybag: '💰', gift: '🎁', trophy: '🏆', muscle: '💪', sweat_smile: '😅',
  white_large_square: '⬜', black_large_square: '⬛', small_blue_diamond: '🔹', small_orange_diamond: '🔸',
  large_blue_diamond: '🔷', large_orange_diamond: '🔶', green_heart: '💚', blue_heart: '💙', no_bell: '🔕',
  put_litter_in_its_place: '🚮', broken_heart: '💔', hourglass_not_done: '⏳', timer_clock: '⏲️',
  label: '🏷️', card_index_dividers: '🗂️', file_cabinet: '🗄️', card_file_box: '🗃️', floppy_disk: '💾',
  cd: '💿', inbox: '📥', mailbox: '📫', mailbox_with_mail: '📬', postbox: '📮', outbox: '📤',
};

const SHORTCODE = /:([a-z0-9_+'-]+):/g;

/** Replaces the :shortcodes: it knows; unknown ones stay as text, as Slack shows them. */
export function emojify(text) {
  return String(text ?? '').replace(SHORTCODE, (whole, name) => EMOJI[name] ?? whole);
}

/** Slack escapes only these three; they are decoded for display, after parsing. */
export function decodeEntities(text) {
  return String(text ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** The url if it is one a link may point to (http, https, mailto), else null. */
export function safeUrl(url) {
  try {
    const u = new URL(String(url).trim());
    return SAFE_SCHEMES.has(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

/* ---------- DOM helpers ---------- */

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

export function personById(ctx, id) {
  return (ctx?.people ?? []).find((p) => p.id === id) ?? null;
}

export function displayName(p) {
  return p ? p.realName || p.name || p.id : '';
}

export function initials(name) {
  const words = String(name ?? '?').trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

export function avatar(person, size = 36) {
  const el = h('span', { class: 'avatar', 'aria-hidden': 'true', text: person?.isBot ? '⚡' : initials(displayName(person) || '?') });
  el.style.background = person?.color || '#868686';
  el.style.width = el.style.height = `${size}px`;
  el.style.fontSize = `${Math.round(size * (person?.isBot ? 0.5 : 0.4))}px`;
  return el;
}

/* ---------- text ---------- */

/** A text object: plain_text (with emoji) or mrkdwn. */
export function renderText(obj, ctx) {
  if (obj === null || obj === undefined) return document.createDocumentFragment();
  if (typeof obj === 'string') return renderMrkdwn(obj, ctx);
  if (obj.type === 'mrkdwn') return obj.verbatim ? renderVerbatim(obj.text, ctx) : renderMrkdwn(obj.text, ctx);
  return document.createTextNode(plain(obj));
}

/** The display string of a plain_text object. */
export function plain(obj) {
  if (!obj) return '';
  if (typeof obj === 'string') return obj;
  return obj.emoji === false ? String(obj.text ?? '') : emojify(obj.text);
}

function renderVerbatim(text, ctx) {
  // verbatim: no auto-linking, but Slack still parses formatting and the explicit <…> tokens
  return renderMrkdwn(text, ctx);
}

const isWordChar = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** Index of the closing `marker`, skipping `<…>` tokens and inline code, or -1. */
function findClosing(s, from, marker) {
  for (let j = from; j < s.length; j++) {
    const c = s[j];
    if (c === '<') {
      const end = s.indexOf('>', j + 1);
      if (end !== -1) j = end;
      continue;
    }
    if (c === '`' && marker !== '`') {
      const end = s.indexOf('`', j + 1);
      if (end !== -1) j = end;
      continue;
    }
    if (c === marker && j > from && !/\s/.test(s[j - 1]) && !isWordChar(s[j + 1])) return j;
  }
  return -1;
}

const FORMAT_TAG = { '*': 'strong', _: 'em', '~': 's' };

/** Inline mrkdwn of one line: <tokens>, `code`, *bold*, _italic_, ~strike~, :emoji:. */
function renderInline(s, ctx) {
  const out = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push(document.createTextNode(emojify(decodeEntities(buf))));
    buf = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '<') {
      const end = s.indexOf('>', i + 1);
      if (end !== -1) {
        flush();
        out.push(renderAngle(s.slice(i + 1, end), ctx));
        i = end;
        continue;
      }
    } else if (c === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push(h('code', { class: 'bk-code', text: decodeEntities(s.slice(i + 1, end)) }));
        i = end;
        continue;
      }
    } else if (c in FORMAT_TAG && !isWordChar(s[i - 1]) && s[i + 1] !== undefined && !/\s/.test(s[i + 1]) && s[i + 1] !== c) {
      const end = findClosing(s, i + 1, c);
      if (end !== -1) {
        flush();
        const el = h(FORMAT_TAG[c]);
        el.append(...renderInline(s.slice(i + 1, end), ctx));
        out.push(el);
        i = end;
        continue;
      }
    }
    buf += c;
  }
  flush();
  return out;
}

/** A `<…>` token: a mention, a channel, a special mention, a date, or a link. */
function renderAngle(body, ctx) {
  const bar = body.indexOf('|');
  const target = bar === -1 ? body : body.slice(0, bar);
  const label = bar === -1 ? null : body.slice(bar + 1);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const p = personById(ctx, id);
    const name = p ? displayName(p) : label ? decodeEntities(label) : id;
    return h('span', { class: 'bk-mention', 'data-user': id, text: `@${name}` });
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const conv = (ctx?.conversations ?? []).find((c) => c.id === id);
    const name = label ? decodeEntities(label) : conv?.name ?? id;
    return h('span', { class: 'bk-mention bk-channel', text: `#${name}` });
  }
  if (target.startsWith('!')) {
    const cmd = target.slice(1);
    if (cmd === 'here' || cmd === 'channel' || cmd === 'everyone') return h('span', { class: 'bk-mention bk-broadcast', text: `@${cmd}` });
    if (cmd.startsWith('subteam^')) {
      const text = label ? decodeEntities(label) : '@group';
      return h('span', { class: 'bk-mention', text: text.startsWith('@') ? text : `@${text}` });
    }
    if (cmd.startsWith('date^')) return document.createTextNode(decodeEntities(label ?? ''));
    return document.createTextNode(decodeEntities(label ?? ''));
  }
  const url = safeUrl(decodeEntities(target));
  const text = label !== null && label !== '' ? emojify(decodeEntities(label)) : decodeEntities(target.replace(/^mailto:/, ''));
  if (!url) return document.createTextNode(text);
  return h('a', { class: 'bk-link', href: url, target: '_blank', rel: 'noopener noreferrer', text });
}

const QUOTE = /^(?:&gt;|>)\s?/;

/** mrkdwn → DocumentFragment: code blocks, quotes, bullet lines, newlines, then inline formatting. */
export function renderMrkdwn(text, ctx) {
  const frag = document.createDocumentFragment();
  const src = String(text ?? '');
  const parts = src.split('```');
  // an odd number of fences leaves the last one literal
  if (parts.length % 2 === 0) parts[parts.length - 2] += '```' + parts.pop();
  parts.forEach((part, idx) => {
    if (idx % 2 === 1) {
      frag.append(h('pre', { class: 'bk-pre', text: decodeEntities(part.replace(/^\n/, '').replace(/\n$/, '')) }));
      return;
    }
    let p = part;
    if (idx > 0) p = p.replace(/^\n/, '');
    if (idx < parts.length - 1) p = p.replace(/\n$/, '');
    if (p === '' && (idx > 0 || parts.length > 1)) return;
    appendLines(frag, p.split('\n'), ctx);
  });
  return frag;
}

function appendLines(frag, lines, ctx) {
  let i = 0;
  let needBreak = false;
  while (i < lines.length) {
    if (QUOTE.test(lines[i])) {
      const quote = h('blockquote', { class: 'bk-quote' });
      let first = true;
      while (i < lines.length && QUOTE.test(lines[i])) {
        if (!first) quote.append(h('br'));
        quote.append(...renderInline(lines[i].replace(QUOTE, ''), ctx));
        first = false;
        i++;
      }
      frag.append(quote);
      needBreak = false;
      continue;
    }
    if (needBreak) frag.append(h('br'));
    const line = lines[i];
    const bullet = /^\s*•/.test(line);
    if (bullet) {
      const el = h('span', { class: 'bk-bullet' });
      el.append(...renderInline(line, ctx));
      frag.append(el);
    } else {
      frag.append(...renderInline(line, ctx));
    }
    needBreak = true;
    i++;
  }
}

/* ---------- blocks ---------- */

/** Blocks → one element. Missing block_ids get stable ones (Slack makes up its own too). */
export function renderBlocks(blocks, ctx = {}) {
  const root = h('div', { class: 'bk-blocks' });
  (blocks ?? []).forEach((block, index) => {
    const el = renderBlock(block, ctx, index);
    if (el) root.append(el);
  });
  return root;
}

/** A modal or home view's body. */
export function renderView(view, ctx = {}) {
  const root = renderBlocks(view?.blocks ?? [], ctx);
  root.classList.add('bk-view', `bk-view-${view?.type ?? 'modal'}`);
  return root;
}

function renderBlock(block, ctx, index) {
  if (!block || typeof block !== 'object') return null;
  const blockId = block.block_id ?? `b${index}`;
  switch (block.type) {
    case 'section':
      return sectionBlock(block, blockId, ctx);
    case 'header':
      return h('div', { class: 'bk-block bk-header', dataset: { blockId } }, plain(block.text));
    case 'context':
      return contextBlock(block, blockId, ctx);
    case 'divider':
      return h('hr', { class: 'bk-block bk-divider', dataset: { blockId } });
    case 'actions':
      return actionsBlock(block, blockId, ctx);
    case 'input':
      return inputBlock(block, blockId, ctx);
    case 'image':
      return imageBlock(block, blockId, ctx);
    case 'rich_text':
      return richTextBlock(block, blockId, ctx);
    default:
      return h('div', { class: 'bk-block bk-unsupported', text: `[${block.type ?? 'unknown'} block]` });
  }
}

function sectionBlock(block, blockId, ctx) {
  const el = h('div', { class: 'bk-block bk-section', dataset: { blockId } });
  const body = h('div', { class: 'bk-section-body' });
  if (block.text) body.append(h('div', { class: 'bk-text' }, renderText(block.text, ctx)));
  if (Array.isArray(block.fields) && block.fields.length) {
    body.append(h('div', { class: 'bk-fields' }, block.fields.map((f) => h('div', { class: 'bk-field' }, renderText(f, ctx)))));
  }
  el.append(body);
  if (block.accessory) {
    const acc = renderElement(block.accessory, ctx, { blockId, interactive: true });
    el.append(h('div', { class: `bk-accessory bk-accessory-${block.accessory.type}` }, acc));
  }
  return el;
}

function contextBlock(block, blockId, ctx) {
  const el = h('div', { class: 'bk-block bk-context', dataset: { blockId } });
  for (const e of block.elements ?? []) {
    if (e.type === 'image') el.append(imgEl(e.image_url, e.alt_text, 'bk-context-image'));
    else el.append(h('span', { class: 'bk-context-text' }, renderText(e, ctx)));
  }
  return el;
}

function actionsBlock(block, blockId, ctx) {
  const el = h('div', { class: 'bk-block bk-actions', dataset: { blockId } });
  for (const e of block.elements ?? []) el.append(renderElement(e, ctx, { blockId, interactive: true }));
  return el;
}

function imgEl(url, alt, cls) {
  const safe = safeUrl(url);
  const img = h('img', { class: cls, alt: alt ?? '', loading: 'lazy' });
  if (safe) img.src = safe;
  return img;
}

function imageBlock(block, blockId, ctx) {
  const el = h('div', { class: 'bk-block bk-image', dataset: { blockId } });
  if (block.title) el.append(h('div', { class: 'bk-image-title' }, plain(block.title)));
  el.append(imgEl(block.image_url, block.alt_text, 'bk-image-img'));
  return el;
}

/* ---------- rich text ---------- */

function richTextBlock(block, blockId, ctx) {
  const el = h('div', { class: 'bk-block bk-rich', dataset: { blockId } });
  for (const e of block.elements ?? []) el.append(richElement(e, ctx));
  return el;
}

function richElement(e, ctx) {
  switch (e.type) {
    case 'rich_text_section':
      return h('div', { class: 'bk-rich-section' }, richInline(e.elements, ctx));
    case 'rich_text_list': {
      const list = h(e.style === 'ordered' ? 'ol' : 'ul', { class: 'bk-rich-list' });
      if (e.indent) list.style.marginLeft = `${e.indent * 22}px`;
      for (const item of e.elements ?? []) list.append(h('li', null, richInline(item.elements, ctx)));
      return list;
    }
    case 'rich_text_preformatted':
      return h('pre', { class: 'bk-pre' }, richInline(e.elements, ctx));
    case 'rich_text_quote':
      return h('blockquote', { class: 'bk-quote' }, richInline(e.elements, ctx));
    default:
      return document.createTextNode('');
  }
}

function richInline(elements, ctx) {
  return (elements ?? []).map((e) => {
    let node;
    switch (e.type) {
      case 'text':
        node = document.createTextNode(e.text ?? '');
        break;
      case 'link': {
        const url = safeUrl(e.url);
        node = url ? h('a', { class: 'bk-link', href: url, target: '_blank', rel: 'noopener noreferrer', text: e.text || e.url }) : document.createTextNode(e.text || e.url || '');
        break;
      }
      case 'user': {
        const p = personById(ctx, e.user_id);
        node = h('span', { class: 'bk-mention', 'data-user': e.user_id, text: `@${p ? displayName(p) : e.user_id}` });
        break;
      }
      case 'channel':
        node = h('span', { class: 'bk-mention bk-channel', text: `#${(ctx?.conversations ?? []).find((c) => c.id === e.channel_id)?.name ?? e.channel_id}` });
        break;
      case 'usergroup':
        node = h('span', { class: 'bk-mention', text: `@${e.usergroup_id}` });
        break;
      case 'broadcast':
        node = h('span', { class: 'bk-mention bk-broadcast', text: `@${e.range}` });
        break;
      case 'emoji':
        node = document.createTextNode(e.unicode ? String.fromCodePoint(...e.unicode.split('-').map((x) => parseInt(x, 16))) : EMOJI[e.name] ?? `:${e.name}:`);
        break;
      default:
        node = document.createTextNode('');
    }
    const st = e.style;
    if (st && e.type === 'text') {
      if (st.code) node = h('code', { class: 'bk-code' }, node);
      if (st.bold) node = h('strong', null, node);
      if (st.italic) node = h('em', null, node);
      if (st.strike) node = h('s', null, node);
    }
    return node;
  });
}

/* ---------- input blocks ---------- */

function inputBlock(block, blockId, ctx) {
  const error = ctx?.errors?.[blockId];
  const el = h('div', { class: `bk-block bk-input${error ? ' has-error' : ''}`, dataset: { blockId } });
  const labelId = nextId('bk-label');
  const rendered = renderElement(block.element ?? {}, ctx, { blockId, interactive: false, labelId, dispatch: block.dispatch_action });
  const label = h('label', { class: 'bk-label', id: labelId }, plain(block.label));
  if (block.optional) label.append(h('span', { class: 'bk-optional', text: ' (optional)' }));
  const target = rendered.dataset?.labelTarget;
  if (target) label.htmlFor = target;
  el.append(label, rendered);
  if (block.hint) el.append(h('div', { class: 'bk-hint' }, plain(block.hint)));
  el.append(h('div', { class: 'field-error', role: 'alert', hidden: !error, text: error ?? '' }));
  return el;
}

/** Shows the errors under their input blocks in place (typed values stay). */
export function setErrors(root, errors) {
  for (const block of root.querySelectorAll('.bk-input')) {
    const msg = errors?.[block.dataset.blockId];
    block.classList.toggle('has-error', Boolean(msg));
    const slot = block.querySelector(':scope > .field-error');
    if (slot) {
      slot.textContent = msg ?? '';
      slot.hidden = !msg;
    }
  }
}

/* ---------- elements ---------- */

/**
 * One interactive element. `interactive` (actions blocks, section accessories) sends its action as
 * soon as it changes; inside input blocks the value waits for the submit.
 */
export function renderElement(e, ctx, opts = {}) {
  const { blockId = '' } = opts;
  switch (e?.type) {
    case 'button':
      return buttonEl(e, ctx, blockId);
    case 'static_select':
    case 'external_select':
      return staticSelect(e, ctx, opts);
    case 'users_select':
      return usersSelect(e, ctx, opts);
    case 'multi_users_select':
      return multiUsersSelect(e, ctx, opts);
    case 'multi_static_select':
      return multiStaticSelect(e, ctx, opts);
    case 'radio_buttons':
    case 'checkboxes':
      return choiceGroup(e, ctx, opts);
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return textInput(e, ctx, opts);
    case 'datepicker':
      return datePicker(e, ctx, opts);
    case 'file_input':
      return fileInput(e, ctx, opts);
    case 'overflow':
      return overflowMenu(e, ctx, blockId);
    case 'image':
      return imgEl(e.image_url, e.alt_text, 'bk-accessory-image');
    default:
      return h('span', { class: 'bk-unsupported', text: `[${e?.type ?? 'unknown'}]` });
  }
}

function valueAttrs(e, blockId, type) {
  return { 'data-block-id': blockId, 'data-action-id': e.action_id ?? '', 'data-bk-type': type };
}

function buttonEl(e, ctx, blockId) {
  const text = plain(e.text);
  const btn = h('button', {
    type: 'button',
    class: `bk-button${e.style ? ` bk-${e.style}` : ''}`,
    'data-action-id': e.action_id ?? '',
    'data-block-id': blockId,
    'data-value': e.value,
    title: e.accessibility_label,
    'aria-label': e.accessibility_label,
    text,
  });
  btn.addEventListener('click', async () => {
    if (e.confirm && !(await confirmDialog(e.confirm))) return;
    const url = e.url ? safeUrl(e.url) : null;
    if (url) window.open(url, '_blank', 'noopener,noreferrer');
    const action = { type: 'button', action_id: e.action_id, block_id: blockId, text: { type: 'plain_text', text: e.text?.text ?? text, emoji: true } };
    if (e.value !== undefined) action.value = e.value;
    if (e.style) action.style = e.style;
    ctx?.onAction?.(action, btn);
  });
  return btn;
}

/** Slack's confirmation dialog; resolves true when confirmed. */
export function confirmDialog(confirm) {
  return new Promise((resolve) => {
    const previous = document.activeElement;
    const close = (answer) => {
      overlay.remove();
      document.removeEventListener('keydown', onKey, true);
      if (previous && previous.focus) previous.focus();
      resolve(answer);
    };
    const onKey = (ev) => {
      if (ev.key === 'Escape') {
        ev.stopPropagation();
        close(false);
      }
    };
    const yes = h('button', { type: 'button', id: 'confirm-yes', class: `bk-button bk-big ${confirm.style === 'danger' ? 'bk-danger' : 'bk-primary'}`, text: plain(confirm.confirm) || 'Yes' });
    const no = h('button', { type: 'button', id: 'confirm-no', class: 'bk-button bk-big', text: plain(confirm.deny) || 'Cancel' });
    yes.addEventListener('click', () => close(true));
    no.addEventListener('click', () => close(false));
    const dialog = h(
      'div',
      { class: 'bk-confirm', role: 'alertdialog', 'aria-modal': 'true' },
      h('div', { class: 'bk-confirm-title', text: plain(confirm.title) || 'Are you sure?' }),
      confirm.text ? h('div', { class: 'bk-confirm-text' }, renderText(confirm.text, {})) : null,
      h('div', { class: 'bk-confirm-buttons' }, no, yes),
    );
    const overlay = h('div', { class: 'bk-confirm-overlay' }, dialog);
    overlay.addEventListener('click', (ev) => {
      if (ev.target === overlay) close(false);
    });
    document.addEventListener('keydown', onKey, true);
    document.body.append(overlay);
    yes.focus();
  });
}

const optionText = (o) => plain(o?.text);

function selectShell(e, opts, type) {
  const id = nextId('bk-sel');
  const select = h('select', { id, class: 'bk-select', ...valueAttrs(e, opts.blockId, type) });
  if (opts.labelId) select.setAttribute('aria-labelledby', opts.labelId);
  return { id, select };
}

function wrapSelect(select, id) {
  const wrap = h('span', { class: 'bk-select-wrap' }, select);
  wrap.dataset.labelTarget = id;
  return wrap;
}

function staticSelect(e, ctx, opts) {
  const { id, select } = selectShell(e, opts, 'static_select');
  const placeholder = plain(e.placeholder) || 'Select an item';
  select.append(h('option', { value: '', disabled: true, text: placeholder }));
  const all = [];
  const addOption = (parent, o) => {
    all.push(o);
    parent.append(h('option', { value: o.value, text: optionText(o) }));
  };
  if (Array.isArray(e.option_groups)) {
    for (const g of e.option_groups) {
      const group = h('optgroup', { label: plain(g.label) });
      for (const o of g.options ?? []) addOption(group, o);
      select.append(group);
    }
  } else {
    for (const o of e.options ?? []) addOption(select, o);
  }
  select.value = e.initial_option ? e.initial_option.value : '';
  if (select.value === '') select.selectedIndex = 0;
  select.classList.toggle('is-placeholder', select.value === '');
  select._bkOptions = all;
  select.addEventListener('change', () => {
    select.classList.toggle('is-placeholder', select.value === '');
    if (!opts.interactive && !opts.dispatch) return;
    const o = all.find((x) => x.value === select.value);
    ctx?.onAction?.({ type: e.type, action_id: e.action_id, block_id: opts.blockId, selected_option: o ? { text: { type: 'plain_text', text: optionText(o) }, value: o.value } : null }, select);
  });
  return wrapSelect(select, id);
}

const selectablePeople = (ctx) => (ctx?.people ?? []).filter((p) => p.inWorkspace && !p.isBot);

function usersSelect(e, ctx, opts) {
  const { id, select } = selectShell(e, opts, 'users_select');
  select.append(h('option', { value: '', disabled: true, text: plain(e.placeholder) || 'Select a person' }));
  for (const p of selectablePeople(ctx)) select.append(h('option', { value: p.id, text: displayName(p) }));
  select.value = e.initial_user ?? '';
  if (select.value === '') select.selectedIndex = 0;
  select.classList.toggle('is-placeholder', select.value === '');
  select.addEventListener('change', () => {
    select.classList.toggle('is-placeholder', select.value === '');
    if (opts.interactive || opts.dispatch) ctx?.onAction?.({ type: 'users_select', action_id: e.action_id, block_id: opts.blockId, selected_user: select.value || null }, select);
  });
  return wrapSelect(select, id);
}

/**
 * Slack's multi-select: chosen items as chips inside the box, a filter field, and a menu of what
 * matches. The chosen values live in `data-selected` (JSON), so collectValues reads them from the DOM.
 */
function multiPicker(e, ctx, opts, type, items, initial) {
  const inputId = nextId('bk-ms');
  const menuId = nextId('bk-ms-menu');
  const wrap = h('div', { class: 'bk-multiselect', ...valueAttrs(e, opts.blockId, type) });
  wrap.dataset.labelTarget = inputId;
  const chips = h('span', { class: 'bk-ms-chips' });
  const input = h('input', {
    id: inputId,
    class: 'bk-ms-input',
    type: 'text',
    autocomplete: 'off',
    role: 'combobox',
    'aria-expanded': 'false',
    'aria-controls': menuId,
    'aria-autocomplete': 'list',
  });
  const menu = h('ul', { class: 'bk-ms-menu', id: menuId, role: 'listbox', 'aria-multiselectable': 'true', hidden: true });
  const field = h('div', { class: 'bk-ms-field' }, chips, input);
  wrap.append(field, menu);
  let selected = initial.filter((v) => items.some((it) => it.value === v));
  let active = 0;
  const placeholder = plain(e.placeholder) || 'Select options';

  const sync = () => {
    wrap.dataset.selected = JSON.stringify(selected);
    chips.replaceChildren(
      ...selected.map((v) => {
        const it = items.find((x) => x.value === v);
        const remove = h('button', { type: 'button', class: 'bk-chip-remove', 'aria-label': `Remove ${it?.label ?? v}`, text: '×' });
        remove.addEventListener('mousedown', (ev) => ev.preventDefault());
        remove.addEventListener('click', () => {
          selected = selected.filter((x) => x !== v);
          changed();
        });
        return h('span', { class: 'bk-chip', 'data-value': v }, it?.person ? avatar(it.person, 20) : null, h('span', { class: 'bk-chip-label', text: it?.label ?? v }), remove);
      }),
    );
    input.placeholder = selected.length ? '' : placeholder;
    if (!menu.hidden) fillMenu();
  };
  const changed = () => {
    sync();
    if (opts.interactive || opts.dispatch) {
      ctx?.onAction?.(
        type === 'multi_users_select'
          ? { type, action_id: e.action_id, block_id: opts.blockId, selected_users: [...selected] }
          : { type, action_id: e.action_id, block_id: opts.blockId, selected_options: selected.map((v) => items.find((x) => x.value === v)?.option) },
        wrap,
      );
    }
  };
  const matches = () => {
    const q = input.value.trim().toLowerCase();
    return items.filter((it) => !selected.includes(it.value) && (!q || it.search.includes(q)));
  };
  const fillMenu = () => {
    const list = matches();
    if (active >= list.length) active = Math.max(0, list.length - 1);
    menu.replaceChildren(
      ...(list.length
        ? list.map((it, i) => {
            const li = h('li', { role: 'option', class: `bk-ms-option${i === active ? ' is-active' : ''}`, 'data-value': it.value, 'aria-selected': 'false' }, it.person ? avatar(it.person, 20) : null, h('span', { class: 'bk-ms-option-label', text: it.label }), it.detail ? h('span', { class: 'bk-ms-option-detail', text: it.detail }) : null);
            li.addEventListener('mousedown', (ev) => ev.preventDefault());
            li.addEventListener('click', () => pick(it.value));
            return li;
          })
        : [h('li', { class: 'bk-ms-empty', text: 'No matches' })]),
    );
  };
  const open = () => {
    menu.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    wrap.classList.add('is-open');
    fillMenu();
  };
  const close = () => {
    menu.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    wrap.classList.remove('is-open');
  };
  const pick = (v) => {
    if (e.max_selected_items && selected.length >= e.max_selected_items) return;
    selected = [...selected, v];
    input.value = '';
    active = 0;
    changed();
    input.focus();
  };
  field.addEventListener('mousedown', (ev) => {
    if (ev.target !== input) {
      ev.preventDefault();
      input.focus();
      open();
    }
  });
  input.addEventListener('focus', open);
  input.addEventListener('blur', close);
  input.addEventListener('input', () => {
    active = 0;
    open();
  });
  input.addEventListener('keydown', (ev) => {
    const list = matches();
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      active = Math.min(active + 1, list.length - 1);
      open();
    } else if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      active = Math.max(active - 1, 0);
      open();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (!menu.hidden && list[active]) pick(list[active].value);
    } else if (ev.key === 'Backspace' && input.value === '' && selected.length) {
      selected = selected.slice(0, -1);
      changed();
    } else if (ev.key === 'Escape' && !menu.hidden) {
      ev.preventDefault();
      ev.stopPropagation();
      close();
    }
  });
  // setSelected lets a re-render carry over what was chosen
  wrap._bkSetSelected = (values) => {
    selected = values.filter((v) => items.some((it) => it.value === v));
    sync();
  };
  sync();
  return wrap;
}

function multiUsersSelect(e, ctx, opts) {
  const items = selectablePeople(ctx).map((p) => ({
    value: p.id,
    label: displayName(p),
    detail: p.name && p.name !== displayName(p) ? p.name : '',
    person: p,
    search: `${displayName(p)} ${p.name ?? ''} ${p.email ?? ''}`.toLowerCase(),
  }));
  return multiPicker(e, ctx, opts, 'multi_users_select', items, e.initial_users ?? []);
}

function multiStaticSelect(e, ctx, opts) {
  const options = Array.isArray(e.option_groups) ? e.option_groups.flatMap((g) => g.options ?? []) : e.options ?? [];
  const items = options.map((o) => ({ value: o.value, label: optionText(o), option: { text: { type: 'plain_text', text: optionText(o) }, value: o.value }, search: optionText(o).toLowerCase() }));
  return multiPicker(e, ctx, opts, 'multi_static_select', items, (e.initial_options ?? []).map((o) => o.value));
}

function choiceGroup(e, ctx, opts) {
  const radio = e.type === 'radio_buttons';
  const name = nextId('bk-choice');
  const group = h('div', { class: `bk-choices ${radio ? 'bk-radios' : 'bk-checkboxes'}`, role: radio ? 'radiogroup' : 'group', ...valueAttrs(e, opts.blockId, e.type) });
  if (opts.labelId) group.setAttribute('aria-labelledby', opts.labelId);
  const initial = radio ? (e.initial_option ? [e.initial_option.value] : []) : (e.initial_options ?? []).map((o) => o.value);
  const options = e.options ?? [];
  options.forEach((o) => {
    const id = nextId('bk-opt');
    const input = h('input', { type: radio ? 'radio' : 'checkbox', id, name, value: o.value });
    input.checked = initial.includes(o.value);
    input._bkOption = o;
    const label = h('label', { for: id, class: 'bk-choice-label' }, renderText(o.text, ctx));
    const row = h('div', { class: 'bk-choice' }, input, h('div', { class: 'bk-choice-text' }, label, o.description ? h('div', { class: 'bk-choice-desc' }, renderText(o.description, ctx)) : null));
    input.addEventListener('change', () => {
      if (!opts.interactive && !opts.dispatch) return;
      const chosen = [...group.querySelectorAll('input:checked')].map((x) => optionPayload(x._bkOption));
      ctx?.onAction?.(radio ? { type: e.type, action_id: e.action_id, block_id: opts.blockId, selected_option: chosen[0] ?? null } : { type: e.type, action_id: e.action_id, block_id: opts.blockId, selected_options: chosen }, input);
    });
    group.append(row);
  });
  return group;
}

function optionPayload(o) {
  const out = { text: { type: o.text?.type ?? 'plain_text', text: o.text?.text ?? '' }, value: o.value };
  if (o.description) out.description = o.description;
  return out;
}

function textInput(e, ctx, opts) {
  const id = nextId('bk-in');
  const kind = { plain_text_input: 'text', email_text_input: 'email', url_text_input: 'url', number_input: 'number' }[e.type];
  const attrs = { id, class: 'bk-textinput', placeholder: plain(e.placeholder) || undefined, ...valueAttrs(e, opts.blockId, e.type) };
  if (e.max_length) attrs.maxlength = e.max_length;
  if (e.min_length) attrs.minlength = e.min_length;
  let el;
  if (e.type === 'plain_text_input' && e.multiline) {
    el = h('textarea', { ...attrs, rows: 4 });
  } else {
    el = h('input', { ...attrs, type: kind });
    if (e.type === 'number_input') {
      el.step = e.is_decimal_allowed ? 'any' : '1';
      if (e.min_value !== undefined) el.min = e.min_value;
      if (e.max_value !== undefined) el.max = e.max_value;
      el.inputMode = e.is_decimal_allowed ? 'decimal' : 'numeric';
    }
    // Enter in a single-line field never submits the form by accident
    el.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        if (opts.interactive || opts.dispatch) ctx?.onAction?.({ type: e.type, action_id: e.action_id, block_id: opts.blockId, value: el.value }, el);
      }
    });
  }
  el.value = e.initial_value ?? '';
  el.dataset.labelTarget = id;
  return el;
}

function datePicker(e, ctx, opts) {
  const id = nextId('bk-date');
  const el = h('input', { id, type: 'date', class: 'bk-textinput bk-date', ...valueAttrs(e, opts.blockId, 'datepicker') });
  el.value = e.initial_date ?? '';
  el.dataset.labelTarget = id;
  el.addEventListener('change', () => {
    if (opts.interactive || opts.dispatch) ctx?.onAction?.({ type: 'datepicker', action_id: e.action_id, block_id: opts.blockId, selected_date: el.value || null }, el);
  });
  return el;
}

/** A drop zone and an Upload button; each chosen file is read as text, uploaded, and listed. */
function fileInput(e, ctx, opts) {
  const id = nextId('bk-file');
  const wrap = h('div', { class: 'bk-file', ...valueAttrs(e, opts.blockId, 'file_input') });
  wrap.dataset.labelTarget = id;
  wrap._bkFiles = [];
  const accept = Array.isArray(e.filetypes) && e.filetypes.length ? e.filetypes.map((t) => `.${t}`).join(',') : undefined;
  const max = e.max_files ?? 10;
  const picker = h('input', { id, type: 'file', class: 'bk-file-picker', accept, multiple: max > 1 });
  const list = h('ul', { class: 'bk-file-list' });
  const button = h('button', { type: 'button', class: 'bk-button', text: 'Upload' });
  const note = h('span', { class: 'bk-file-note', text: `Drag and drop a file here, or` });
  const types = accept ? h('div', { class: 'bk-file-types', text: `Accepted: ${e.filetypes.join(', ')}${max ? ` · up to ${max} file${max === 1 ? '' : 's'}` : ''}` }) : null;
  const zone = h('div', { class: 'bk-file-zone' }, h('span', { class: 'bk-file-icon', 'aria-hidden': 'true', text: '📎' }), note, button, picker);
  wrap.append(zone, types, list);

  const redraw = () => {
    wrap.dataset.files = JSON.stringify(wrap._bkFiles.map((f) => f.id));
    list.replaceChildren(
      ...wrap._bkFiles.map((f) => {
        const remove = h('button', { type: 'button', class: 'bk-chip-remove', 'aria-label': `Remove ${f.name}`, text: '×' });
        remove.addEventListener('click', () => {
          wrap._bkFiles = wrap._bkFiles.filter((x) => x !== f);
          redraw();
        });
        return h('li', { class: 'bk-file-item' }, h('span', { class: 'bk-file-badge', text: (f.filetype || 'file').toUpperCase() }), h('span', { class: 'bk-file-name', text: f.name ?? f.title ?? f.id }), remove);
      }),
    );
    zone.hidden = wrap._bkFiles.length >= max;
  };
  wrap._bkSetFiles = (files) => {
    wrap._bkFiles = [...files];
    redraw();
  };
  const take = async (files) => {
    for (const file of [...files].slice(0, Math.max(0, max - wrap._bkFiles.length))) {
      if (!ctx?.upload) continue;
      const pending = h('li', { class: 'bk-file-item is-uploading' }, h('span', { class: 'bk-file-name', text: `Uploading ${file.name}…` }));
      list.append(pending);
      try {
        const content = await readText(file);
        const uploaded = await ctx.upload({ name: file.name, content });
        if (uploaded) wrap._bkFiles.push(uploaded);
      } catch {
        // the page shows the upload's own error; the list simply does not grow
      }
      redraw();
    }
    picker.value = '';
  };
  button.addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => take(picker.files ?? []));
  zone.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    zone.classList.add('is-over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('is-over'));
  zone.addEventListener('drop', (ev) => {
    ev.preventDefault();
    zone.classList.remove('is-over');
    take(ev.dataTransfer?.files ?? []);
  });
  redraw();
  return wrap;
}

function readText(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result ?? ''));
    r.onerror = () => reject(r.error);
    r.readAsText(file);
  });
}

function overflowMenu(e, ctx, blockId) {
  const wrap = h('span', { class: 'bk-overflow' });
  const btn = h('button', { type: 'button', class: 'bk-button bk-overflow-button', 'data-action-id': e.action_id ?? '', 'data-block-id': blockId, 'aria-label': 'More actions', 'aria-haspopup': 'menu', text: '⋯' });
  const menu = h('div', { class: 'bk-overflow-menu', role: 'menu', hidden: true });
  for (const o of e.options ?? []) {
    const item = h('button', { type: 'button', role: 'menuitem', class: 'bk-overflow-item', text: optionText(o) });
    item.addEventListener('click', () => {
      menu.hidden = true;
      const url = o.url ? safeUrl(o.url) : null;
      if (url) window.open(url, '_blank', 'noopener,noreferrer');
      ctx?.onAction?.({ type: 'overflow', action_id: e.action_id, block_id: blockId, selected_option: { text: { type: 'plain_text', text: optionText(o) }, value: o.value } }, btn);
    });
    menu.append(item);
  }
  btn.addEventListener('click', () => {
    menu.hidden = !menu.hidden;
  });
  btn.addEventListener('blur', () => setTimeout(() => {
    if (!menu.contains(document.activeElement)) menu.hidden = true;
  }, 150));
  wrap.append(btn, menu);
  return wrap;
}

/* ---------- values ---------- */

/** view.state.values, read from the DOM: `{ [block_id]: { [action_id]: value } }`. */
export function collectValues(root) {
  const values = {};
  for (const el of root.querySelectorAll('[data-bk-type]')) {
    const blockId = el.dataset.blockId;
    const actionId = el.dataset.actionId;
    if (!blockId || !actionId) continue;
    const v = valueOf(el);
    if (v === undefined) continue;
    (values[blockId] ??= {})[actionId] = v;
  }
  return values;
}

function valueOf(el) {
  const type = el.dataset.bkType;
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: el.value === '' ? null : el.value };
    case 'static_select':
    case 'external_select': {
      const o = (el._bkOptions ?? []).find((x) => x.value === el.value);
      return { type, selected_option: o ? { text: { type: 'plain_text', text: optionText(o) }, value: o.value } : null };
    }
    case 'users_select':
      return { type, selected_user: el.value || null };
    case 'multi_users_select':
      return { type, selected_users: JSON.parse(el.dataset.selected || '[]') };
    case 'multi_static_select': {
      const chosen = JSON.parse(el.dataset.selected || '[]');
      return { type, selected_options: chosen.map((v) => ({ text: { type: 'plain_text', text: el.querySelector(`.bk-chip[data-value="${CSS.escape(v)}"] .bk-chip-label`)?.textContent ?? v }, value: v })) };
    }
    case 'radio_buttons': {
      const checked = el.querySelector('input:checked');
      return { type, selected_option: checked ? optionPayload(checked._bkOption) : null };
    }
    case 'checkboxes':
      return { type, selected_options: [...el.querySelectorAll('input:checked')].map((x) => optionPayload(x._bkOption)) };
    case 'datepicker':
      return { type, selected_date: el.value || null };
    case 'file_input':
      return { type, files: [...(el._bkFiles ?? [])] };
    default:
      return undefined;
  }
}

/** Puts earlier values back into a freshly rendered view (same block_id and action_id), as Slack keeps them on views.update. */
export function applyValues(root, values) {
  if (!values) return;
  for (const el of root.querySelectorAll('[data-bk-type]')) {
    const v = values[el.dataset.blockId]?.[el.dataset.actionId];
    if (!v || v.type !== el.dataset.bkType) continue;
    switch (v.type) {
      case 'plain_text_input':
      case 'email_text_input':
      case 'url_text_input':
      case 'number_input':
        if (v.value !== null) el.value = v.value;
        break;
      case 'static_select':
      case 'external_select':
        if (v.selected_option && (el._bkOptions ?? []).some((o) => o.value === v.selected_option.value)) {
          el.value = v.selected_option.value;
          el.classList.remove('is-placeholder');
        }
        break;
      case 'users_select':
        if (v.selected_user) {
          el.value = v.selected_user;
          el.classList.toggle('is-placeholder', el.value === '');
        }
        break;
      case 'multi_users_select':
        el._bkSetSelected?.(v.selected_users ?? []);
        break;
      case 'multi_static_select':
        el._bkSetSelected?.((v.selected_options ?? []).map((o) => o.value));
        break;
      case 'radio_buttons':
      case 'checkboxes': {
        const chosen = new Set(v.type === 'radio_buttons' ? (v.selected_option ? [v.selected_option.value] : []) : (v.selected_options ?? []).map((o) => o.value));
        for (const input of el.querySelectorAll('input')) input.checked = chosen.has(input.value);
        break;
      }
      case 'datepicker':
        if (v.selected_date) el.value = v.selected_date;
        break;
      case 'file_input':
        el._bkSetFiles?.(v.files ?? []);
        break;
    }
  }
}
