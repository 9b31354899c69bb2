/**
 * When reminders may go out, in the invitee's own time zone: `Mon-Fri 09:00-18:00` (days are a
 * range or a comma list; times are HH:MM, end exclusive), or `always`.
 */
export type ReminderWindow = { always: true } | { always: false; days: Set<number>; fromMin: number; toMin: number };

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const dayIndex = (d: string) => DAYS.indexOf(d.trim().slice(0, 3).toLowerCase());

/** Parses a window; throws an Error whose message says what is wrong. */
export function parseReminderWindow(raw: string): ReminderWindow {
  const text = raw.trim();
  if (/^always$/i.test(text)) return { always: true };
  const m = /^([A-Za-z,\- ]+?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) throw new Error(`must look like "Mon-Fri 09:00-18:00" or be "always", got "${raw}"`);
  const days = new Set<number>();
  for (const part of m[1]!.split(',')) {
    const [a, b] = part.split('-').map((x) => dayIndex(x));
    if (a === undefined || a < 0 || (b !== undefined && b < 0)) throw new Error(`has an unknown day in "${part.trim()}" (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)`);
    if (b === undefined) days.add(a);
    else for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  const fromMin = Number(m[2]) * 60 + Number(m[3]);
  const toMin = Number(m[4]) * 60 + Number(m[5]);
  if (fromMin >= toMin || toMin > 24 * 60 || Number(m[3]) > 59 || Number(m[5]) > 59) throw new Error(`has a time range that does not make sense: "${raw}"`);
  return { always: false, days, fromMin, toMin };
}

/**
 * A formatter per time zone, built once: building one costs far more than using it, and a sweep asks
 * for thousands of invitees, in a few zones. An unknown zone is remembered as UTC's. (Bounded: zones
 * come from chat profiles, and a few hundred exist.)
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let formatter = formatters.get(tz);
  if (!formatter) {
    const options = { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone: tz, ...options });
    } catch {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', ...options });
    }
    if (formatters.size >= 1000) formatters.clear();
    formatters.set(tz, formatter);
  }
  return formatter;
}

/** Whether `now` falls in the window in time zone `tz` (an unknown zone counts as UTC). */
export function inReminderWindow(window: ReminderWindow, now: number, tz: string | null | undefined): boolean {
  if (window.always) return true;
  const parts = formatterFor(tz || 'UTC').formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  return window.days.has(dayIndex(get('weekday'))) && minutes >= window.fromMin && minutes < window.toMin;
}
