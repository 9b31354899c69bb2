/**
 * Reading `/atlas` command text. With `should_escape` on, Slack sends mentions as `<@U123|name>`,
 * user groups as `<!subteam^S123|@name>`, channels as `<#C123|name>` and emails as
 * `<mailto:a@b.c|a@b.c>`; people also type plain emails and “smart quotes”.
 */
export type Token =
  | { kind: 'user'; id: string; raw: string }
  | { kind: 'usergroup'; id: string; raw: string }
  | { kind: 'channel'; id: string; raw: string }
  /** `exact`: written `!name@host`, "send as I typed it": no did-you-mean */
  | { kind: 'email'; email: string; raw: string; exact?: true }
  | { kind: 'quoted'; text: string; raw: string }
  | { kind: 'word'; text: string; raw: string }
  /** `@alice` typed as plain text: Slack did not turn it into a mention */
  | { kind: 'plain_mention'; text: string; raw: string };

const TOKEN = /<[^>]+>|["“”][^"“”]*["“”]|\S+/g;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const raw = m[0];
    let r: RegExpExecArray | null;
    // a Slack member id (U…/W…), or a Teams user id (29:…) that the Teams side writes the same way
    if ((r = /^<@([UW][A-Z0-9]+|29:[^|>\s]+)(\|[^>]*)?>$/.exec(raw))) out.push({ kind: 'user', id: r[1]!, raw });
    else if ((r = /^<!subteam\^([A-Z0-9]+)(\|[^>]*)?>$/.exec(raw))) out.push({ kind: 'usergroup', id: r[1]!, raw });
    else if ((r = /^<#([CG][A-Z0-9]+)(\|[^>]*)?>$/.exec(raw))) out.push({ kind: 'channel', id: r[1]!, raw });
    else if ((r = /^<mailto:([^|>]+)(\|[^>]*)?>$/.exec(raw))) out.push({ kind: 'email', email: r[1]!, raw });
    else if (/^["“”]/.test(raw)) out.push({ kind: 'quoted', text: raw.slice(1, -1).trim(), raw });
    else if (/^@[^@\s]+$/.test(raw)) out.push({ kind: 'plain_mention', text: raw, raw });
    else if (/^![^@\s]+@\S+$/.test(raw)) out.push({ kind: 'email', email: raw.slice(1).replace(/[,;]+$/, ''), raw, exact: true });
    else if (raw.includes('@') && !raw.startsWith('<')) out.push({ kind: 'email', email: raw.replace(/[,;]+$/, ''), raw });
    else out.push({ kind: 'word', text: raw.replace(/[,;]+$/, ''), raw });
  }
  return out.filter((t) => !(t.kind === 'word' && t.text === ''));
}

/** Splits `… to "<license>"` (or `… to <words>`) off the end of a token list. */
export function splitTarget(tokens: Token[]): { people: Token[]; target: string | undefined } {
  const i = tokens.findIndex((t) => t.kind === 'word' && t.text.toLowerCase() === 'to');
  if (i < 0) return { people: tokens, target: undefined };
  const rest = tokens.slice(i + 1);
  const target = rest.map((t) => (t.kind === 'quoted' || t.kind === 'word' ? t.text : t.raw)).join(' ').trim();
  return { people: tokens.slice(0, i), target: target || undefined };
}

export const textOf = (t: Token): string => (t.kind === 'quoted' || t.kind === 'word' ? t.text : t.raw);
