/**
 * The sandbox page: a small Slack in the browser, talking to the sandbox's JSON API.
 * It polls /sandbox/api/state, re-renders only what changed, and sends every click, command and
 * form as the person chosen on the left. No build step, no dependencies.
 */
import { applyValues, avatar, collectValues, confirmDialog, displayName, h, plain, renderBlocks, renderMrkdwn, renderView, setErrors } from './blockkit.js';

const API = '/sandbox/api';
const POLL_MS = 600;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ADVANCES = [
  { ms: HOUR, label: '+1 hour' },
  { ms: DAY, label: '+1 day' },
  { ms: 3 * DAY, label: '+3 days' },
  { ms: 7 * DAY, label: '+1 week' },
];
const SHORTCUTS = [{ callbackId: 'share_project', name: 'Share a project', detail: 'Share one project with people who hold a seat' }];
const SUBCOMMANDS = [
  ['help', 'What /atlas can do'],
  ['status', 'Your seats, projects and open invitations'],
  ['licenses', 'Each license pool with its seat usage'],
  ['share-project', 'Share one of your projects (opens a form)'],
  ['return-project', 'Send an updated Desktop copy back'],
  ['support', 'Ask for help (opens a form)'],
  ['invite-license', 'Admins: invite people to a seat'],
  ['pending', 'Admins: pending invitations'],
  ['license add', 'Admins: create a license pool, e.g. "Campus" 10'],
  ['resend', 'Admins: send an invitation again'],
  ['revoke', 'Admins: withdraw a pending invitation'],
  ['seat release', 'Admins: take a seat back'],
  ['admin add', 'Admins: make someone a license admin'],
];
const INTRO_KEY = 'atlas-sandbox-intro-dismissed';

/* ---------- state ---------- */

const hashParams = () => new URLSearchParams(location.hash.replace(/^#/, ''));
let as = hashParams().get('as') || null;
let conv = hashParams().get('c') || null;
let state = null;
let rendered = { version: -1, me: null, conv: null, peopleSig: '', navSig: '' };
const seen = new Map(); // `${me}|${conversationId}` → ts of the last message seen there
const messageCache = new Map(); // `${me}|${conversationId}|${ts}` → { sig, el }
let modal = null; // { id, callbackId, sig, errorsSig, root, body }
const closingModals = new Set();
let homeSig = '';
let homeOpenedFor = null; // app_home_opened is sent once per visit to Home
let pollTimer = null;
let polling = false;
let pollAgain = false;

/* ---------- the skeleton ---------- */

const ui = {};

function buildSkeleton() {
  ui.clock = h('div', { id: 'clock', 'aria-live': 'polite' });
  ui.ff = h(
    'div',
    { class: 'ff-group', role: 'group', 'aria-label': 'Fast-forward the bot clock' },
    h('span', { class: 'ff-label', text: 'Fast-forward' }),
    ADVANCES.map((a) => h('button', { type: 'button', class: 'top-button', 'data-advance': String(a.ms), text: a.label, onclick: () => advance(a.ms, a.label) })),
  );
  ui.busy = h('span', { id: 'busy', hidden: true, text: 'Bot is working…' });
  ui.shortcutsMenu = h(
    'div',
    { class: 'menu', id: 'shortcuts-menu', role: 'menu', hidden: true },
    h('div', { class: 'menu-heading', text: 'ATLAS Invite Bot' }),
    SHORTCUTS.map((s) =>
      h('button', { type: 'button', role: 'menuitem', class: 'menu-item', 'data-shortcut': s.callbackId, onclick: () => runShortcut(s.callbackId) }, s.name, h('span', { class: 'menu-sub', text: s.detail })),
    ),
  );
  ui.shortcuts = h('button', { type: 'button', id: 'shortcuts', class: 'top-button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', text: '⚡ Shortcuts', onclick: () => toggleShortcuts() });
  ui.reset = h('button', { type: 'button', id: 'reset', class: 'top-button', text: 'Start over', onclick: resetAll });
  const topbar = h(
    'header',
    { id: 'topbar' },
    ui.clock,
    ui.ff,
    h('span', { class: 'spacer' }),
    ui.busy,
    h('span', { class: 'menu-anchor' }, ui.shortcuts, ui.shortcutsMenu),
    ui.reset,
  );

  ui.people = h('div', { id: 'people', role: 'list' });
  ui.nav = h('nav', { id: 'nav', 'aria-label': 'Conversations' });
  const sidebar = h(
    'aside',
    { id: 'sidebar' },
    h('div', { class: 'ws-name' }, h('span', { class: 'ws-logo', text: 'A' }), 'ATLAS Sandbox'),
    h('div', { class: 'side-heading', text: 'Acting as' }),
    ui.people,
    ui.nav,
  );

  ui.intro = h(
    'div',
    { id: 'intro', hidden: localStorage.getItem(INTRO_KEY) === '1' },
    h('span', { 'aria-hidden': 'true', text: '👋' }),
    h('span', { class: 'intro-text' }, 'This is a sandbox: a pretend Slack workspace talking to the real bot on this machine. Pick who you are on the left, then type ', h('code', { text: '/atlas help' }), '.'),
    h('button', {
      type: 'button',
      class: 'icon-button',
      'aria-label': 'Dismiss',
      text: '×',
      onclick: () => {
        localStorage.setItem(INTRO_KEY, '1');
        ui.intro.hidden = true;
      },
    }),
  );
  ui.offline = h('div', { id: 'offline', hidden: true, role: 'alert', text: 'The sandbox is not answering. Is `npm start` still running? Retrying…' });
  ui.header = h('div', { id: 'conv-header' });
  ui.messages = h('div', { id: 'messages', role: 'log', 'aria-live': 'polite' });
  ui.home = h('div', { id: 'home', hidden: true });
  ui.outside = h('div', { id: 'outside', hidden: true });

  ui.composer = h('textarea', { id: 'composer', rows: 1, 'aria-label': 'Message', autocomplete: 'off', spellcheck: 'true' });
  ui.send = h('button', { type: 'button', id: 'send', 'aria-label': 'Send', text: '➤', disabled: true, onclick: () => send() });
  ui.suggest = h('div', { class: 'suggest', role: 'listbox', hidden: true });
  ui.composerWrap = h(
    'div',
    { id: 'composer-wrap' },
    ui.suggest,
    h(
      'div',
      { class: 'composer-box' },
      ui.composer,
      h(
        'div',
        { class: 'composer-tools' },
        h('button', { type: 'button', class: 'tool-button', title: 'Type a command', text: '/', onclick: () => insertCommand() }),
        h('button', { type: 'button', class: 'tool-button', title: 'Mention someone', text: '@', onclick: () => insertAt() }),
        h('button', { type: 'button', class: 'tool-button', title: 'Shortcuts', text: '⚡', onclick: (ev) => { ev.stopPropagation(); toggleShortcuts(true); } }),
        h('span', { class: 'spacer' }),
        h('span', { class: 'composer-hint', text: 'Enter to send · Shift+Enter for a new line' }),
        ui.send,
      ),
    ),
  );
  const main = h('main', { id: 'main' }, ui.intro, ui.offline, ui.header, ui.messages, ui.home, ui.outside, ui.composerWrap);
  ui.toast = h('div', { id: 'toast', role: 'status', 'aria-live': 'polite', hidden: true });
  const app = h('div', { id: 'app' }, topbar, sidebar, main);
  document.body.replaceChildren(app, ui.toast);

  ui.composer.addEventListener('keydown', onComposerKey);
  ui.composer.addEventListener('input', onComposerInput);
  ui.composer.addEventListener('click', onComposerInput);
  ui.composer.addEventListener('blur', () => setTimeout(hideSuggest, 120));
  document.addEventListener('click', (ev) => {
    if (!ui.shortcutsMenu.hidden && !ui.shortcutsMenu.contains(ev.target) && ev.target !== ui.shortcuts) toggleShortcuts(false);
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !ui.shortcutsMenu.hidden) toggleShortcuts(false);
  });
  window.addEventListener('hashchange', () => {
    const p = hashParams();
    const nextAs = p.get('as') || as;
    const nextConv = p.get('c') || conv;
    if (nextAs !== as || nextConv !== conv) {
      const personChanged = nextAs !== as;
      as = nextAs;
      conv = nextConv;
      if (personChanged) onPersonChanged();
      refresh();
    }
  });
}

/* ---------- API ---------- */

async function api(path, body) {
  let res;
  try {
    const r = await fetch(`${API}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    res = await r.json().catch(() => ({ ok: false, error: `The sandbox answered ${r.status} ${r.statusText}.` }));
  } catch (err) {
    res = { ok: false, error: 'The sandbox did not answer. Is it still running?' };
  }
  if (!res.ok && !res.errors) toast(res.error || 'Something went wrong.', true);
  refresh();
  return res;
}

async function fetchState() {
  const url = `${API}/state${as ? `?as=${encodeURIComponent(as)}` : ''}`;
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(`state ${r.status}`);
  return r.json();
}

/** Polls now (or right after the poll in flight), then every POLL_MS. */
function refresh() {
  if (polling) {
    pollAgain = true;
    return;
  }
  clearTimeout(pollTimer);
  poll();
}

async function poll() {
  polling = true;
  const askedAs = as;
  try {
    const s = await fetchState();
    ui.offline.hidden = true;
    // an answer for the person we were before a switch is dropped
    if (!askedAs || askedAs === as) apply(s);
  } catch {
    ui.offline.hidden = false;
  } finally {
    polling = false;
    clearTimeout(pollTimer);
    if (pollAgain) {
      pollAgain = false;
      pollTimer = setTimeout(poll, 0);
    } else {
      pollTimer = setTimeout(poll, POLL_MS);
    }
  }
}

/* ---------- applying a state ---------- */

const personOf = (id) => state?.people.find((p) => p.id === id) ?? null;
const meP = () => personOf(state?.me);
const firstName = (p) => (displayName(p) || '').split(/\s+/)[0];

function apply(s) {
  state = s;
  if (!as || !s.people.some((p) => p.id === as)) as = s.me;
  renderClock(s);
  ui.busy.hidden = !s.busy;
  const convs = s.conversations ?? [];
  if (conv !== 'home' && !convs.some((c) => c.id === conv)) conv = defaultConversation(s);
  writeHash();
  if (s.version !== rendered.version || s.me !== rendered.me || conv !== rendered.conv) {
    const switched = s.me !== rendered.me || conv !== rendered.conv;
    renderPeople(s);
    renderPane(s, switched);
    renderNav(s);
    rendered = { ...rendered, version: s.version, me: s.me, conv };
  }
  renderModal(s.modal ?? null);
}

function defaultConversation(s) {
  const convs = s.conversations ?? [];
  const me = s.people.find((p) => p.id === s.me);
  const channel = convs.find((c) => c.kind === 'channel' && /admin/i.test(c.name)) ?? convs.find((c) => c.kind === 'channel');
  const dm = convs.find((c) => c.kind === 'dm');
  // someone outside the workspace has nowhere to be; they see the panel, and no conversation is remembered
  if (me && !me.inWorkspace) return null;
  if (me && /admin/i.test(me.role ?? '')) return channel?.id ?? dm?.id ?? 'home';
  return dm?.id ?? channel?.id ?? 'home';
}

function writeHash() {
  const p = new URLSearchParams();
  if (as) p.set('as', as);
  if (conv) p.set('c', conv);
  const next = `#${p.toString()}`;
  if (location.hash !== next) history.replaceState(null, '', next);
}

/* ---------- top bar ---------- */

function formatClock(ms) {
  const d = new Date(ms);
  const wd = d.toLocaleDateString('en-GB', { weekday: 'short' });
  const mon = d.toLocaleDateString('en-GB', { month: 'short' });
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${wd} ${d.getDate()} ${mon}, ${hh}:${mm}`;
}

function formatOffset(ms) {
  const days = Math.floor(ms / DAY);
  const hours = Math.round((ms - days * DAY) / HOUR);
  const parts = [];
  if (days) parts.push(`${days} day${days === 1 ? '' : 's'}`);
  if (hours) parts.push(`${hours} hour${hours === 1 ? '' : 's'}`);
  if (!parts.length) parts.push(`${Math.max(1, Math.round(ms / 60_000))} min`);
  return `+${parts.join(' ')} ahead`;
}

function renderClock(s) {
  const ahead = s.offsetMs > 0 ? formatOffset(s.offsetMs) : '';
  const sig = `${formatClock(s.now)}|${ahead}`;
  if (ui.clock.dataset.sig === sig) return;
  ui.clock.dataset.sig = sig;
  ui.clock.replaceChildren(
    h('span', { class: 'clock-label', text: 'Bot time:' }),
    h('span', { class: 'clock-time', text: formatClock(s.now) }),
    ...(ahead ? [h('span', { class: 'clock-ahead', text: ahead })] : []),
  );
  ui.clock.title = ahead ? 'The bot’s clock runs ahead of the real one; “Start over” resets it.' : 'The bot’s clock';
}

async function advance(ms, label) {
  const res = await api('clock', { advanceMs: ms });
  if (res.ok) toast(`Bot time moved ${label.replace('+', '')} ahead.`);
}

function toggleShortcuts(force) {
  const open = force ?? ui.shortcutsMenu.hidden;
  ui.shortcutsMenu.hidden = !open;
  ui.shortcuts.setAttribute('aria-expanded', String(open));
  if (open) ui.shortcutsMenu.querySelector('.menu-item')?.focus();
}

async function runShortcut(callbackId) {
  toggleShortcuts(false);
  if (!canAct()) return;
  await api('shortcut', { as, callbackId });
}

async function resetAll() {
  const yes = await confirmDialog({
    title: { type: 'plain_text', text: 'Start over?' },
    text: { type: 'plain_text', text: 'Every license, invitation and message in the sandbox is deleted, the bot’s clock goes back to now, and the bot starts with a fresh database.' },
    confirm: { type: 'plain_text', text: 'Start over' },
    deny: { type: 'plain_text', text: 'Cancel' },
    style: 'danger',
  });
  if (!yes) return;
  const res = await api('reset', {});
  if (!res.ok) return;
  seen.clear();
  messageCache.clear();
  homeSig = '';
  conv = null;
  rendered = { version: -1, me: null, conv: null, peopleSig: '', navSig: '' };
  toast('Started over with a fresh database.');
}

/* ---------- sidebar ---------- */

function renderPeople(s) {
  const sig = JSON.stringify([s.me, s.people]);
  if (sig === rendered.peopleSig) return;
  rendered.peopleSig = sig;
  ui.people.replaceChildren(
    ...s.people
      .filter((p) => !p.isBot)
      .map((p) =>
        h(
          'button',
          {
            type: 'button',
            role: 'listitem',
            class: `side-item person-item${p.id === s.me ? ' is-active' : ''}`,
            'data-person': p.id,
            'aria-current': p.id === s.me ? 'true' : undefined,
            title: p.email ?? '',
            onclick: () => switchPerson(p.id),
          },
          h('span', { class: 'side-avatar' }, avatar(p, 28), h('span', { class: `presence${p.inWorkspace ? '' : ' is-away'}` })),
          h('span', { class: 'person-text' }, h('span', { class: 'person-name', text: displayName(p) }), h('span', { class: 'person-role', text: p.role })),
        ),
      ),
  );
}

function switchPerson(id) {
  if (id === as) return;
  as = id;
  onPersonChanged();
  writeHash();
  refresh();
}

function onPersonChanged() {
  // each person lands where they would look first; Home stays Home
  if (conv !== 'home') conv = null;
  closeComposerSuggest();
  const draft = ui.composer.value;
  if (draft) ui.composer.value = '';
  autosize();
  homeSig = '';
  homeOpenedFor = null;
}

const unreadIn = (s, c) => {
  const last = Number(seen.get(`${s.me}|${c.id}`) ?? 0);
  return c.messages.filter((m) => Number(m.ts) > last && m.user !== s.me).length;
};

function renderNav(s) {
  const me = personOf(s.me);
  const convs = s.conversations ?? [];
  const items = [];
  const navItem = (id, glyph, name, unread, extra) =>
    h(
      'button',
      {
        type: 'button',
        class: `side-item${conv === id ? ' is-active' : ''}${unread ? ' is-unread' : ''}`,
        'data-conversation': id,
        'aria-current': conv === id ? 'page' : undefined,
        onclick: () => openConversation(id),
      },
      glyph,
      h('span', { class: 'side-name', text: name }),
      unread ? h('span', { class: 'badge', text: String(unread) }) : null,
      extra,
    );
  if (me && !me.inWorkspace) {
    items.push(h('div', { class: 'side-heading', text: 'Workspace' }), h('div', { class: 'side-note', text: `${firstName(me)} is not in this workspace yet.` }));
  } else {
    const bot = s.people.find((p) => p.isBot);
    items.push(h('div', { class: 'side-heading', text: 'Apps' }));
    items.push(navItem('home', h('span', { class: 'side-glyph', 'aria-hidden': 'true', text: '🏠' }), bot ? `Home · ${displayName(bot)}` : 'Home', 0));
    const channels = convs.filter((c) => c.kind === 'channel');
    if (channels.length) {
      items.push(h('div', { class: 'side-heading', text: 'Channels' }));
      for (const c of channels) items.push(navItem(c.id, h('span', { class: 'side-glyph', 'aria-hidden': 'true', text: '#' }), c.name.replace(/^#/, ''), conv === c.id ? 0 : unreadIn(s, c)));
    }
    const dms = convs.filter((c) => c.kind === 'dm');
    items.push(h('div', { class: 'side-heading', text: 'Direct messages' }));
    if (!dms.length) items.push(h('div', { class: 'side-note', text: 'None yet.' }));
    for (const c of dms) {
      const other = dmPartner(s, c);
      items.push(navItem(c.id, h('span', { class: 'side-avatar' }, avatar(other, 20)), c.name || displayName(other), conv === c.id ? 0 : unreadIn(s, c)));
    }
  }
  ui.nav.replaceChildren(...items);
}

function dmPartner(s, c) {
  const others = new Set(c.messages.map((m) => m.user).filter((u) => u !== s.me));
  return s.people.find((p) => others.has(p.id)) ?? s.people.find((p) => p.isBot && c.name && c.name.toLowerCase().includes((p.realName || p.name || '').toLowerCase())) ?? s.people.find((p) => p.isBot) ?? null;
}

function openConversation(id) {
  if (id === conv && id !== 'home') return;
  if (id === 'home') homeOpenedFor = null;
  conv = id;
  writeHash();
  if (state) {
    if (id === 'home' && rendered.conv === 'home') rendered.conv = null;
    apply(state);
  }
  if (id !== 'home') ui.composer.focus();
}

/* ---------- main pane ---------- */

function renderPane(s, switched) {
  const me = personOf(s.me);
  const outside = me && !me.inWorkspace;
  ui.outside.hidden = !outside;
  ui.home.hidden = outside || conv !== 'home';
  ui.messages.hidden = outside || conv === 'home';
  ui.composerWrap.hidden = outside || conv === 'home';
  ui.header.hidden = outside;
  if (outside) return renderOutside(s, me);
  if (conv === 'home') {
    if (homeOpenedFor !== s.me) {
      homeOpenedFor = s.me;
      api('home', { as: s.me });
    }
    return renderHome(s, switched);
  }
  const c = (s.conversations ?? []).find((x) => x.id === conv);
  if (!c) return;
  renderConversationHeader(s, c);
  renderMessages(s, c, switched);
  const label = c.kind === 'channel' ? `#${c.name.replace(/^#/, '')}` : c.name || displayName(dmPartner(s, c));
  ui.composer.placeholder = `Message ${label} — try /atlas help`;
}

function renderConversationHeader(s, c) {
  if (c.kind === 'channel') {
    const members = s.people.filter((p) => p.inWorkspace).length;
    ui.header.replaceChildren(
      h('div', { class: 'conv-title' }, h('span', { 'aria-hidden': 'true', text: '#' }), h('span', { text: c.name.replace(/^#/, '') })),
      h('span', { class: 'conv-sub', text: /admin/i.test(c.name) ? 'Where license admins follow invitations' : `${members} members` }),
    );
  } else {
    const other = dmPartner(s, c);
    ui.header.replaceChildren(
      h('div', { class: 'conv-title' }, avatar(other, 24), h('span', { text: c.name || displayName(other) }), other?.isBot ? h('span', { class: 'app-badge', text: 'APP' }) : null),
      other?.isBot
        ? h(
            'div',
            { class: 'tabs', role: 'tablist' },
            h('button', { type: 'button', class: 'tab', style: 'border:0;background:none;cursor:pointer', role: 'tab', text: 'Home', onclick: () => openConversation('home') }),
            h('span', { class: 'tab is-active', role: 'tab', 'aria-selected': 'true', text: 'Messages' }),
          )
        : null,
    );
  }
}

const tsDate = (ts) => new Date(Math.round(Number(ts) * 1000));
const timeOf = (ts) => tsDate(ts).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
const dayOf = (ts) => tsDate(ts).toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric' });

function renderMessages(s, c, switched) {
  const box = ui.messages;
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
  const prevTop = box.scrollTop;
  const prevLast = box.dataset.lastTs ?? '';
  const sameConv = box.dataset.conv === `${s.me}|${c.id}`;
  const seenBefore = Number(seen.get(`${s.me}|${c.id}`) ?? 0);

  const nodes = [conversationStart(s, c)];
  let prev = null;
  let prevDay = '';
  for (const m of c.messages) {
    const day = dayOf(m.ts);
    if (day !== prevDay) {
      nodes.push(h('div', { class: 'day-divider', role: 'separator' }, h('span', { text: day })));
      prevDay = day;
      prev = null;
    }
    const compact = Boolean(prev && prev.user === m.user && !prev.ephemeral && !m.ephemeral && Number(m.ts) - Number(prev.ts) < 300);
    const key = `${s.me}|${c.id}|${m.ts}`;
    const sig = JSON.stringify([m, compact, s.people.length]);
    let cached = messageCache.get(key);
    if (!cached || cached.sig !== sig) {
      const el = messageEl(s, c, m, compact);
      if (sameConv && !cached && Number(m.ts) > seenBefore && !switched) el.classList.add('is-new');
      cached = { sig, el };
      messageCache.set(key, cached);
    }
    nodes.push(cached.el);
    prev = m;
  }
  box.replaceChildren(...nodes);
  const last = c.messages[c.messages.length - 1];
  box.dataset.lastTs = last?.ts ?? '';
  box.dataset.conv = `${s.me}|${c.id}`;
  if (last) seen.set(`${s.me}|${c.id}`, last.ts);
  if (switched || !sameConv || atBottom || (last && last.ts !== prevLast)) box.scrollTop = box.scrollHeight;
  else box.scrollTop = prevTop;
}

function conversationStart(s, c) {
  if (c.kind === 'channel') {
    return h('div', { class: 'conv-start' }, h('h2', { text: `#${c.name.replace(/^#/, '')}` }), h('p', { text: `This is the very beginning of the #${c.name.replace(/^#/, '')} channel.` }));
  }
  const other = dmPartner(s, c);
  return h(
    'div',
    { class: 'conv-start' },
    avatar(other, 56),
    h('h2', { style: 'margin-top:10px', text: c.name || displayName(other) }),
    h('p', { text: other?.isBot ? 'The bot sends invitations, reminders and answers here. Type /atlas help to start.' : 'This conversation is just between the two of you.' }),
  );
}

function messageEl(s, c, m, compact) {
  const author = personOf(m.user);
  const name = author ? displayName(author) : m.user;
  const el = h('div', { class: `message${m.ephemeral ? ' ephemeral' : ''}${compact ? ' is-compact' : ''}`, 'data-ts': m.ts, 'data-user': m.user });
  const gutter = h('div', { class: 'msg-gutter' }, compact ? timeOf(m.ts).replace(/\s?[AP]M$/, '') : avatar(author ?? { realName: name, color: '#868686' }, 36));
  const body = h('div', { class: 'msg-body' });
  if (m.ephemeral) body.append(h('div', { class: 'ephemeral-note' }, h('span', { class: 'eye', 'aria-hidden': 'true', text: '👁' }), 'Only visible to you'));
  if (!compact) {
    body.append(
      h(
        'div',
        { class: 'msg-head' },
        h('span', { class: 'msg-name', text: name }),
        author?.isBot ? h('span', { class: 'app-badge', text: 'APP' }) : null,
        h('time', { class: 'msg-time', datetime: tsDate(m.ts).toISOString(), title: tsDate(m.ts).toLocaleString('en-GB'), text: timeOf(m.ts) }),
      ),
    );
  }
  const ctx = blockContext(s, (action, target) => sendAction({ type: 'message', channel: c.id, ts: m.ts }, action, target));
  const content = h('div', { class: 'msg-text' });
  if (Array.isArray(m.blocks) && m.blocks.length) content.append(renderBlocks(m.blocks, ctx));
  else content.append(renderMrkdwn(m.text ?? '', ctx));
  if (m.edited) content.append(h('span', { class: 'msg-edited', text: '(edited)' }));
  body.append(content);
  el.append(gutter, body);
  return el;
}

function blockContext(s, onAction, errors) {
  return {
    people: s.people,
    conversations: s.conversations,
    errors: errors ?? {},
    onAction,
    upload: uploadFile,
  };
}

async function sendAction(container, action, target) {
  if (!canAct()) return;
  const busyEl = target instanceof HTMLButtonElement ? target : null;
  if (busyEl) busyEl.classList.add('is-busy');
  const body = { as, container, action };
  if (container.type === 'view' && modal && container.viewId === modal.id) body.values = collectValues(modal.body);
  await api('action', body);
  if (busyEl) busyEl.classList.remove('is-busy');
}

async function uploadFile({ name, content }) {
  const res = await api('upload', { as, name, content });
  if (!res.ok || !res.file) throw new Error(res.error || 'upload failed');
  return res.file;
}

function canAct() {
  return Boolean(state && as);
}

/* ---------- home ---------- */

function renderHome(s, switched) {
  const bot = s.people.find((p) => p.isBot);
  ui.header.replaceChildren(
    h('div', { class: 'conv-title' }, avatar(bot, 24), h('span', { text: bot ? displayName(bot) : 'ATLAS Invite Bot' }), h('span', { class: 'app-badge', text: 'APP' })),
    h(
      'div',
      { class: 'tabs', role: 'tablist' },
      h('span', { class: 'tab is-active', role: 'tab', 'aria-selected': 'true', text: 'Home' }),
      (() => {
        const dm = (s.conversations ?? []).find((c) => c.kind === 'dm' && dmPartner(s, c)?.isBot);
        return dm ? h('button', { type: 'button', class: 'tab', style: 'border:0;background:none;cursor:pointer', role: 'tab', text: 'Messages', onclick: () => openConversation(dm.id) }) : null;
      })(),
    ),
  );
  const sig = JSON.stringify([s.me, s.home, s.people.length]);
  if (sig === homeSig && !switched) return;
  const top = ui.home.scrollTop;
  homeSig = sig;
  if (!s.home) {
    ui.home.replaceChildren(h('div', { class: 'home-empty' }, h('div', { class: 'big', 'aria-hidden': 'true', text: '🏠' }), h('p', { text: 'Open Home to see the bot’s overview.' }), h('button', { type: 'button', class: 'bk-button', text: 'Open Home', onclick: () => api('home', { as }) })));
    return;
  }
  const viewId = s.home.id ?? 'home';
  const ctx = blockContext(s, (action, target) => sendAction({ type: 'view', viewId }, action, target));
  ui.home.replaceChildren(h('div', { class: 'home-inner', 'data-view-id': viewId }, renderView(s.home, ctx)));
  ui.home.scrollTop = switched ? 0 : top;
}

/* ---------- someone outside the workspace ---------- */

function renderOutside(s, me) {
  const first = firstName(me);
  const sig = JSON.stringify(me);
  if (ui.outside.dataset.sig === sig) return;
  ui.outside.dataset.sig = sig;
  ui.outside.replaceChildren(
    h(
      'div',
      { class: 'outside-card' },
      avatar(me, 56),
      h('h2', { text: `${first} is not in this Slack workspace yet.` }),
      h('p', { text: `Admins can still invite ${me.email ?? 'them'} by email: the bot gives the admin a link to forward. Personal links open in the browser like any page.` }),
      h('button', {
        type: 'button',
        id: 'join-workspace',
        class: 'bk-button bk-primary bk-big',
        text: 'Join the workspace',
        onclick: async (ev) => {
          ev.currentTarget.disabled = true;
          const res = await api('join', { as });
          if (res.ok) toast(`${first} joined the workspace.`);
          else ev.currentTarget.disabled = false;
        },
      }),
      h('p', { class: 'muted', style: 'margin:14px 0 0', text: `Joining with ${me.email ?? 'their email'} lets ${first} accept an invitation that waits for them.` }),
    ),
  );
}

/* ---------- modal ---------- */

function renderModal(m) {
  if (m && closingModals.has(m.id)) m = null;
  for (const id of closingModals) if (!state?.modal || state.modal.id !== id) closingModals.delete(id);
  if (!m) {
    if (modal) {
      modal.root.remove();
      modal = null;
    }
    return;
  }
  const sig = JSON.stringify(m.view);
  const errorsSig = JSON.stringify(m.errors ?? {});
  if (modal && modal.id === m.id && modal.sig === sig) {
    if (modal.errorsSig !== errorsSig) {
      modal.errorsSig = errorsSig;
      setErrors(modal.body, m.errors ?? {});
    }
    return;
  }
  // an updated view keeps what was typed into the same block and action ids, as Slack does
  const carry = modal && (modal.id === m.id || (modal.callbackId && modal.callbackId === m.view.callback_id)) ? collectValues(modal.body) : null;
  const isNew = !modal || modal.id !== m.id;
  if (modal) modal.root.remove();
  modal = buildModal(m, sig, errorsSig);
  if (carry) applyValues(modal.body, carry);
  document.body.append(modal.root);
  if (isNew) {
    const first = modal.body.querySelector('input:not([type=hidden]):not([type=file]), textarea, select');
    (first ?? modal.root.querySelector('#modal-submit') ?? modal.root.querySelector('#modal-close'))?.focus();
  }
}

function buildModal(m, sig, errorsSig) {
  const view = m.view ?? {};
  const bot = state.people.find((p) => p.isBot);
  const titleId = 'modal-title';
  const ctx = blockContext(state, (action, target) => sendAction({ type: 'view', viewId: m.id }, action, target), m.errors ?? {});
  const body = h('div', { class: 'modal-body' }, renderView(view, ctx));
  const closeText = plain(view.close) || (view.submit ? 'Cancel' : 'Close');
  const close = h('button', { type: 'button', id: 'modal-close', class: 'bk-button bk-big', text: closeText, onclick: () => closeModal(m.id) });
  const submit = view.submit
    ? h('button', { type: 'button', id: 'modal-submit', class: 'bk-button bk-big bk-primary', text: plain(view.submit), onclick: () => submitModal(m.id) })
    : null;
  const dialog = h(
    'div',
    { id: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, 'data-view-id': m.id, 'data-callback-id': view.callback_id ?? '' },
    h(
      'div',
      { class: 'modal-head' },
      h('span', { class: 'modal-app' }, avatar(bot, 32)),
      h('h2', { class: 'modal-title', id: titleId, text: plain(view.title) }),
      h('button', { type: 'button', class: 'icon-button modal-x', 'aria-label': 'Close', text: '×', onclick: () => closeModal(m.id) }),
    ),
    body,
    h('div', { class: 'modal-foot' }, close, submit),
  );
  const root = h('div', { id: 'modal-root' }, dialog);
  root.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !document.querySelector('.bk-confirm-overlay')) {
      ev.preventDefault();
      closeModal(m.id);
    }
    // Ctrl/Cmd+Enter submits, as in Slack; a plain Enter never does
    if (ev.key === 'Enter' && (ev.metaKey || ev.ctrlKey) && submit) {
      ev.preventDefault();
      submitModal(m.id);
    }
  });
  return { id: m.id, callbackId: view.callback_id ?? null, sig, errorsSig, root, body, submit };
}

async function submitModal(viewId) {
  if (!modal || modal.id !== viewId) return;
  const { body, submit } = modal;
  const values = collectValues(body);
  if (submit) submit.disabled = true;
  const res = await api('submit', { as, viewId, values });
  if (submit) submit.disabled = false;
  if (!res.ok && res.errors && modal && modal.id === viewId) {
    modal.errorsSig = JSON.stringify(res.errors);
    setErrors(modal.body, res.errors);
    const firstError = modal.body.querySelector('.bk-input.has-error');
    firstError?.querySelector('input:not([type=file]), textarea, select')?.focus();
    firstError?.scrollIntoView({ block: 'nearest' });
  }
}

async function closeModal(viewId) {
  if (!modal || modal.id !== viewId) return;
  closingModals.add(viewId);
  modal.root.remove();
  modal = null;
  await api('close', { as, viewId });
}

/* ---------- composer ---------- */

function autosize() {
  ui.composer.style.height = 'auto';
  ui.composer.style.height = `${Math.min(ui.composer.scrollHeight, 200)}px`;
  ui.send.disabled = ui.composer.value.trim() === '';
}

async function send() {
  const raw = ui.composer.value;
  const text = raw.trim();
  if (!text || !canAct()) return;
  const c = (state.conversations ?? []).find((x) => x.id === conv);
  if (!c) return;
  let path;
  let body;
  if (/^\/atlas(\s|$)/.test(text)) {
    path = 'command';
    body = { as, channel: c.id, text: text.replace(/^\/atlas\s*/, '') };
  } else if (/^\/\S/.test(text)) {
    toast(`Only /atlas works in this sandbox: "${text.split(/\s/)[0]}" is not a command here.`, true);
    return;
  } else {
    path = 'message';
    body = { as, channel: c.id, text };
  }
  ui.composer.value = '';
  autosize();
  hideSuggest();
  const res = await api(path, body);
  if (!res.ok && ui.composer.value === '') {
    ui.composer.value = raw;
    autosize();
  }
}

let suggestion = null; // { kind, items, active, start }

function onComposerKey(ev) {
  if (suggestion && !ui.suggest.hidden) {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      const n = suggestion.items.length;
      suggestion.active = (suggestion.active + (ev.key === 'ArrowDown' ? 1 : n - 1)) % n;
      suggestion.navigated = true;
      drawSuggest();
      return;
    }
    // Enter on a name typed out in full (`@alice`) sends, so a whole line can be typed and sent
    const typedInFull = ev.key === 'Enter' && suggestion.exact && !suggestion.navigated;
    if (((ev.key === 'Enter' && !ev.shiftKey) || ev.key === 'Tab') && !typedInFull) {
      ev.preventDefault();
      pickSuggestion(suggestion.active);
      return;
    }
    if (ev.key === 'Escape') {
      ev.preventDefault();
      hideSuggest();
      return;
    }
  }
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    send();
  }
}

function onComposerInput() {
  autosize();
  const v = ui.composer.value;
  const caret = ui.composer.selectionStart ?? v.length;
  const before = v.slice(0, caret);
  const at = /(^|\s)@([\w.\-]*)$/.exec(before);
  if (at && state) {
    const q = at[2].toLowerCase();
    const items = state.people
      .filter((p) => !p.isBot && p.inWorkspace && p.id !== state.me)
      .filter((p) => !q || (p.name ?? '').toLowerCase().startsWith(q) || displayName(p).toLowerCase().split(/\s+/).some((w) => w.startsWith(q)) || displayName(p).toLowerCase().startsWith(q))
      .map((p) => ({ insert: `@${p.name} `, person: p, label: displayName(p), detail: `@${p.name}` }));
    showSuggest('People', items, caret - at[2].length - 1, caret);
    if (suggestion) suggestion.exact = items.some((it) => it.person.name?.toLowerCase() === q);
    return;
  }
  const cmd = /^\/(\S*)$/.exec(before) ?? /^\/atlas\s+([\w-]*(?:\s[\w-]*)?)$/.exec(before);
  if (cmd) {
    const typed = before.startsWith('/atlas ') ? cmd[1].toLowerCase() : '';
    if (!before.startsWith('/atlas ') && !'atlas'.startsWith(cmd[1].toLowerCase())) return hideSuggest();
    const items = SUBCOMMANDS.filter(([name]) => name.startsWith(typed) && name !== typed).map(([name, detail]) => ({ insert: `/atlas ${name} `, label: `/atlas ${name}`, detail, command: true }));
    return showSuggest('/atlas commands', items, 0, caret);
  }
  hideSuggest();
}

function showSuggest(title, items, start, end) {
  if (!items.length) return hideSuggest();
  suggestion = { title, items: items.slice(0, 8), active: 0, start, end };
  drawSuggest();
}

function drawSuggest() {
  ui.suggest.hidden = false;
  ui.suggest.replaceChildren(
    h('div', { class: 'suggest-title', text: suggestion.title }),
    ...suggestion.items.map((it, i) => {
      const row = h(
        'div',
        { class: `suggest-item${i === suggestion.active ? ' is-active' : ''}`, role: 'option', 'aria-selected': String(i === suggestion.active), 'data-suggest': it.insert.trim() },
        it.person ? avatar(it.person, 24) : null,
        it.command ? h('code', { text: it.label }) : h('strong', { text: it.label }),
        h('span', { class: 'suggest-detail', text: it.detail }),
      );
      row.addEventListener('mousedown', (ev) => {
        ev.preventDefault();
        pickSuggestion(i);
      });
      return row;
    }),
  );
}

function pickSuggestion(i) {
  const it = suggestion?.items[i];
  if (!it) return;
  const v = ui.composer.value;
  ui.composer.value = v.slice(0, suggestion.start) + it.insert + v.slice(suggestion.end);
  const caret = suggestion.start + it.insert.length;
  ui.composer.setSelectionRange(caret, caret);
  hideSuggest();
  autosize();
  ui.composer.focus();
}

function hideSuggest() {
  suggestion = null;
  ui.suggest.hidden = true;
}

const closeComposerSuggest = hideSuggest;

function insertCommand() {
  if (!ui.composer.value.startsWith('/atlas')) ui.composer.value = `/atlas ${ui.composer.value}`;
  ui.composer.focus();
  ui.composer.setSelectionRange(ui.composer.value.length, ui.composer.value.length);
  onComposerInput();
}

function insertAt() {
  const v = ui.composer.value;
  ui.composer.value = v + (v && !/\s$/.test(v) ? ' @' : '@');
  ui.composer.focus();
  ui.composer.setSelectionRange(ui.composer.value.length, ui.composer.value.length);
  onComposerInput();
}

/* ---------- toast ---------- */

let toastTimer = null;
function toast(text, isError = false) {
  ui.toast.textContent = text;
  ui.toast.classList.toggle('is-error', isError);
  ui.toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    ui.toast.hidden = true;
  }, isError ? 6000 : 3500);
}

/* ---------- start ---------- */

buildSkeleton();
autosize();
poll();
