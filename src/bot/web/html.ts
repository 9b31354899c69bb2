import { ICONS, type Inline } from '../../domain/index.js';
import { cleanText } from '../../domain/message.js';

/** HTML escaping and the page frame shared by the bot's web pages. */
export const html = (s: string | number | null | undefined): string =>
  cleanText(String(s ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** The domain's marked words (src/domain/message.ts) as HTML; every piece of text is escaped. */
export function emphasis(words: Inline | string): string {
  if (typeof words === 'string') return html(words);
  return words
    .map((s) => {
      switch (s.kind) {
        case 'text':
          return html(s.text);
        case 'strong':
          return `<strong>${html(s.text)}</strong>`;
        case 'em':
          return `<em>${html(s.text)}</em>`;
        case 'code':
          return `<code>${html(s.text)}</code>`;
        case 'command':
          return `<code>${html(s.words)}</code>`;
        case 'link':
          return /^https?:\/\//.test(s.url) ? `<a href="${html(s.url)}">${html(s.text)}</a>` : html(s.text);
        case 'chat':
          return 'chat';
        case 'workspace':
          return 'your organisation';
        case 'icon':
          return ICONS[s.name];
      }
    })
    .join('');
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${html(title)}</title>
<style>
  :root { color-scheme: light dark; --fg:#1d1c1d; --muted:#616061; --bg:#f8f8f8; --card:#fff; --ok:#007a5a; --no:#b3261e; --accent:#4a154b; }
  @media (prefers-color-scheme: dark) { :root { --fg:#e8e8e8; --muted:#a8a8a8; --bg:#1a1d21; --card:#222529; --ok:#2bac76; --no:#e8776f; --accent:#d5a6d8; } }
  body { margin:0; font:16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
  main { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
  .card { background:var(--card); border-radius:12px; padding:1.5rem 1.75rem; box-shadow:0 1px 3px rgba(0,0,0,.12); }
  h1 { font-size:1.5rem; margin:0 0 .25rem; }
  .state { display:inline-block; font-size:.85rem; font-weight:600; padding:.1rem .6rem; border-radius:999px; background:rgba(127,127,127,.15); }
  .grid { display:grid; grid-template-columns:1fr 1fr; gap:1rem; margin:1.25rem 0; }
  @media (max-width: 560px) { .grid { grid-template-columns:1fr; } }
  .yes h2 { color:var(--ok); } .no h2 { color:var(--no); }
  h2 { font-size:1rem; margin:0 0 .25rem; }
  p { margin:.5rem 0; } .muted { color:var(--muted); font-size:.9rem; }
  button { font:inherit; font-weight:600; color:#fff; background:var(--ok); border:0; border-radius:8px; padding:.6rem 1.2rem; cursor:pointer; }
  code { font-size:.9em; background:rgba(127,127,127,.15); padding:0 .25rem; border-radius:4px; }
  .notice { border-left:4px solid var(--accent); padding:.5rem .75rem; background:rgba(127,127,127,.08); border-radius:4px; }
</style>
</head>
<body><main><div class="card">
${body}
</div></main></body>
</html>`;
}
