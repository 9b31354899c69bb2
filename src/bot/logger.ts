/**
 * A small leveled logger that never prints a secret: tokens and personalized links are masked
 * before anything is written.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRETS: [RegExp, string][] = [
  // the Web API client's debug lines carry whole messages (people's DMs: personal links, a license's
  // own invitation link); what was sent is in the outbox, so the log keeps only that a call was made
  [/(http request (?:body|result)):[\s\S]*$/, '$1: [message contents not logged]'],
  [/xox[abpre]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/xapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  [/\/invite\/[A-Za-z0-9_-]{20,}/g, '/invite/[redacted]'],
  // a response_url (or an incoming webhook) lets whoever holds it post: an error may quote it whole
  [/(https:\/\/hooks\.slack\.com\/)[^\s"'<>]+/g, '$1[redacted]'],
  [/(authorization|signature)(["':= ]+)[^"',\s]+/gi, '$1$2[redacted]'],
];

const redact = (s: string): string => SECRETS.reduce((acc, [re, by]) => acc.replace(re, by), s);

export interface Logger {
  debug(msg: string, extra?: unknown): void;
  info(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  error(msg: string, extra?: unknown): void;
  /** whether a line at this level would be written: lets a caller skip building one that would not */
  enabled?(level: LogLevel): boolean;
}

function describe(extra: unknown): string {
  if (extra === undefined) return '';
  if (extra instanceof Error) return ` ${extra.name}: ${extra.message}${extra.stack ? `\n${extra.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  try {
    return ` ${JSON.stringify(extra)}`;
  } catch {
    return ` ${String(extra)}`;
  }
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const at = (lvl: LogLevel) => (msg: string, extra?: unknown) => {
    if (ORDER[lvl] < ORDER[level]) return;
    write(redact(`${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} ${msg}${describe(extra)}`));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), enabled: (lvl) => ORDER[lvl] >= ORDER[level] };
}
