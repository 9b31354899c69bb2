/**
 * REMINDER_WINDOW: when reminders may go out, in the invitee's own time zone.
 */
import { describe, expect, it } from 'vitest';
import { inReminderWindow, parseReminderWindow, type ReminderWindow } from '../../src/domain/index.js';

const utc = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);

const daysOf = (w: ReminderWindow): number[] => {
  if (w.always) throw new Error('expected a window with days');
  return [...w.days].sort((a, b) => a - b);
};

describe('parseReminderWindow', () => {
  it('reads a day range and a time range', () => {
    const w = parseReminderWindow('Mon-Fri 09:00-18:00');
    expect(w.always).toBe(false);
    expect(daysOf(w)).toEqual([1, 2, 3, 4, 5]);
    expect(w).toMatchObject({ fromMin: 9 * 60, toMin: 18 * 60 });
  });

  it.each(['always', 'Always', 'ALWAYS', '  always  ', 'aLwAyS'])('reads %j as no window at all', (raw) => {
    expect(parseReminderWindow(raw)).toEqual({ always: true });
  });

  it('reads a comma list of days', () => {
    const w = parseReminderWindow('Sat,Sun 10:00-12:00');
    expect(daysOf(w)).toEqual([0, 6]);
    expect(w).toMatchObject({ fromMin: 600, toMin: 720 });
  });

  it('reads a day range that wraps around the week', () => {
    const w = parseReminderWindow('Fri-Mon 08:00-20:00');
    expect(daysOf(w)).toEqual([0, 1, 5, 6]);
    expect(w).toMatchObject({ fromMin: 480, toMin: 1200 });
  });

  it('accepts single-digit hours and a window ending at 24:00', () => {
    expect(parseReminderWindow('Mon 9:30-17:05')).toMatchObject({ fromMin: 570, toMin: 1025 });
    expect(parseReminderWindow('Sun 00:00-24:00')).toMatchObject({ fromMin: 0, toMin: 1440 });
  });

  it.each([
    ['weekdays 9-5', /must look like/],
    ['09:00-18:00', /must look like/],
    ['', /must look like/],
    ['Mon-Fri', /must look like/],
    ['Mon-Fri 18:00-09:00', /time range that does not make sense/],
    ['Mon-Fri 09:00-09:00', /time range that does not make sense/],
    ['Mon-Fri 09:00-24:30', /time range that does not make sense/],
    ['Mon-Fri 09:75-18:00', /time range that does not make sense/],
    ['Mon-Fry 09:00-18:00', /unknown day in "Mon-Fry"/],
    ['Mon,Funday 09:00-18:00', /unknown day/],
    ['Mon,,Fri 09:00-18:00', /unknown day/],
  ])('refuses %j with a message', (raw, message) => {
    expect(() => parseReminderWindow(raw)).toThrow(message);
  });

  it('quotes what it was given', () => {
    expect(() => parseReminderWindow('weekdays 9-5')).toThrow('"weekdays 9-5"');
  });
});

describe('inReminderWindow', () => {
  const office = parseReminderWindow('Mon-Fri 09:00-18:00');

  it('is always open for "always", whatever the time and zone', () => {
    const always = parseReminderWindow('always');
    expect(inReminderWindow(always, utc(2025, 3, 9, 3), 'UTC')).toBe(true); // a Sunday, 03:00
    expect(inReminderWindow(always, utc(2025, 3, 9, 3), 'Asia/Tokyo')).toBe(true);
    expect(inReminderWindow(always, utc(2025, 3, 9, 3), null)).toBe(true);
  });

  it('in UTC: start inclusive, end exclusive, weekends out', () => {
    // 2025-03-10 is a Monday
    expect(inReminderWindow(office, utc(2025, 3, 10, 8, 59), 'UTC')).toBe(false);
    expect(inReminderWindow(office, utc(2025, 3, 10, 9, 0), 'UTC')).toBe(true);
    expect(inReminderWindow(office, utc(2025, 3, 10, 17, 59), 'UTC')).toBe(true);
    expect(inReminderWindow(office, utc(2025, 3, 10, 18, 0), 'UTC')).toBe(false);
    expect(inReminderWindow(office, utc(2025, 3, 15, 12), 'UTC')).toBe(false); // Saturday
    expect(inReminderWindow(office, utc(2025, 3, 16, 12), 'UTC')).toBe(false); // Sunday
  });

  it('at midnight, reads the hour as 00 (not 24)', () => {
    const night = parseReminderWindow('Mon-Sun 00:00-01:00');
    expect(inReminderWindow(night, utc(2025, 3, 10, 0, 0), 'UTC')).toBe(true);
    expect(inReminderWindow(night, utc(2025, 3, 10, 0, 30), 'Europe/Berlin')).toBe(false); // 01:30 in Berlin
    expect(inReminderWindow(night, utc(2025, 3, 9, 23, 0), 'Europe/Berlin')).toBe(true); // 00:00 in Berlin
  });

  it('in America/New_York (EDT, UTC-4 after 2025-03-09)', () => {
    const ny = 'America/New_York';
    expect(inReminderWindow(office, utc(2025, 3, 10, 9, 0), ny)).toBe(false); // 05:00 local
    expect(inReminderWindow(office, utc(2025, 3, 10, 12, 59), ny)).toBe(false); // 08:59 local
    expect(inReminderWindow(office, utc(2025, 3, 10, 13, 0), ny)).toBe(true); // 09:00 local
    expect(inReminderWindow(office, utc(2025, 3, 10, 21, 59), ny)).toBe(true); // 17:59 local
    expect(inReminderWindow(office, utc(2025, 3, 10, 22, 0), ny)).toBe(false); // 18:00 local: end exclusive
    // Saturday 2025-03-15 01:00 UTC is still Friday 21:00 in New York: out by the hour
    expect(inReminderWindow(office, utc(2025, 3, 15, 1, 0), ny)).toBe(false);
    // Friday 2025-03-14 20:00 UTC is Friday 16:00 in New York
    expect(inReminderWindow(office, utc(2025, 3, 14, 20, 0), ny)).toBe(true);
  });

  it('in Asia/Tokyo (UTC+9): the local weekday counts, not the UTC one', () => {
    const tokyo = 'Asia/Tokyo';
    expect(inReminderWindow(office, utc(2025, 3, 9, 23, 59), tokyo)).toBe(false); // Mon 08:59 local
    expect(inReminderWindow(office, utc(2025, 3, 10, 0, 0), tokyo)).toBe(true); // Mon 09:00 local (Sunday in UTC)
    expect(inReminderWindow(office, utc(2025, 3, 10, 9, 0), tokyo)).toBe(false); // Mon 18:00 local
    expect(inReminderWindow(office, utc(2025, 3, 14, 8, 59), tokyo)).toBe(true); // Fri 17:59 local
    expect(inReminderWindow(office, utc(2025, 3, 14, 16, 0), tokyo)).toBe(false); // Sat 01:00 local, Fri 16:00 UTC
    // the same instant is inside the window in UTC: the zone decides
    expect(inReminderWindow(office, utc(2025, 3, 14, 16, 0), 'UTC')).toBe(true);

    const weekend = parseReminderWindow('Sat,Sun 10:00-12:00');
    expect(inReminderWindow(weekend, utc(2025, 3, 15, 1, 0), tokyo)).toBe(true); // Sat 10:00 local
    expect(inReminderWindow(weekend, utc(2025, 3, 15, 1, 0), 'UTC')).toBe(false); // Sat 01:00 UTC
    expect(inReminderWindow(weekend, utc(2025, 3, 16, 2, 59), tokyo)).toBe(true); // Sun 11:59 local
    expect(inReminderWindow(weekend, utc(2025, 3, 16, 3, 0), tokyo)).toBe(false); // Sun 12:00 local
  });

  it('in Europe/Berlin across the spring DST change (2025-03-30)', () => {
    const berlin = 'Europe/Berlin';
    // Friday before: CET, UTC+1
    expect(inReminderWindow(office, utc(2025, 3, 28, 7, 30), berlin)).toBe(false); // 08:30 CET
    expect(inReminderWindow(office, utc(2025, 3, 28, 8, 30), berlin)).toBe(true); // 09:30 CET
    expect(inReminderWindow(office, utc(2025, 3, 28, 16, 30), berlin)).toBe(true); // 17:30 CET
    expect(inReminderWindow(office, utc(2025, 3, 28, 17, 0), berlin)).toBe(false); // 18:00 CET
    // Monday after: CEST, UTC+2 (the same UTC times now fall an hour later locally)
    expect(inReminderWindow(office, utc(2025, 3, 31, 6, 30), berlin)).toBe(false); // 08:30 CEST
    expect(inReminderWindow(office, utc(2025, 3, 31, 7, 0), berlin)).toBe(true); // 09:00 CEST
    expect(inReminderWindow(office, utc(2025, 3, 31, 7, 30), berlin)).toBe(true); // 09:30 CEST
    expect(inReminderWindow(office, utc(2025, 3, 31, 15, 59), berlin)).toBe(true); // 17:59 CEST
    expect(inReminderWindow(office, utc(2025, 3, 31, 16, 0), berlin)).toBe(false); // 18:00 CEST
    expect(inReminderWindow(office, utc(2025, 3, 31, 16, 30), berlin)).toBe(false); // 18:30 CEST (17:30 in CET)
  });

  it('in Europe/Berlin across the autumn DST change (2025-10-26)', () => {
    const berlin = 'Europe/Berlin';
    expect(inReminderWindow(office, utc(2025, 10, 24, 16, 30), berlin)).toBe(false); // Fri 18:30 CEST
    expect(inReminderWindow(office, utc(2025, 10, 27, 16, 30), berlin)).toBe(true); // Mon 17:30 CET
    expect(inReminderWindow(office, utc(2025, 10, 27, 7, 30), berlin)).toBe(false); // Mon 08:30 CET
  });

  it('a wrap-around day range holds on the days it names', () => {
    const w = parseReminderWindow('Fri-Mon 08:00-20:00');
    expect(inReminderWindow(w, utc(2025, 3, 14, 12), 'UTC')).toBe(true); // Fri
    expect(inReminderWindow(w, utc(2025, 3, 15, 12), 'UTC')).toBe(true); // Sat
    expect(inReminderWindow(w, utc(2025, 3, 16, 12), 'UTC')).toBe(true); // Sun
    expect(inReminderWindow(w, utc(2025, 3, 17, 12), 'UTC')).toBe(true); // Mon
    expect(inReminderWindow(w, utc(2025, 3, 18, 12), 'UTC')).toBe(false); // Tue
    expect(inReminderWindow(w, utc(2025, 3, 19, 12), 'UTC')).toBe(false); // Wed
    expect(inReminderWindow(w, utc(2025, 3, 20, 12), 'UTC')).toBe(false); // Thu
    expect(inReminderWindow(w, utc(2025, 3, 17, 20, 0), 'UTC')).toBe(false); // Mon 20:00: end exclusive
  });

  it('an unknown, empty or missing time zone counts as UTC', () => {
    const monday0930Utc = utc(2025, 3, 10, 9, 30); // Mon 09:30 UTC
    for (const tz of ['Mars/Olympus_Mons', 'not a zone', '', null, undefined]) {
      expect(inReminderWindow(office, monday0930Utc, tz)).toBe(true);
      expect(inReminderWindow(office, utc(2025, 3, 10, 8, 30), tz)).toBe(false);
      expect(inReminderWindow(office, utc(2025, 3, 10, 18, 0), tz)).toBe(false);
    }
  });
});
