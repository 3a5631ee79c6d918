import { isCalendarDay } from './calendar-day';

describe('isCalendarDay', () => {
  it('agrees with a JavaScript Date on every year-month-day from 1599 to 2401, century leap years included', () => {
    const disagreements: string[] = [];
    for (let year = 1599; year <= 2401; year += 1) {
      for (let month = 0; month <= 13; month += 1) {
        for (let day = 0; day <= 32; day += 1) {
          const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const date = new Date(`${iso}T00:00:00Z`);
          const byDate = !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
          if (isCalendarDay(year, month, day) !== byDate) disagreements.push(iso);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('takes 29 February in 2000 and 2008, not in 1900 or 2009', () => {
    expect([2000, 2008, 1900, 2009].map((year) => isCalendarDay(year, 2, 29))).toEqual([true, true, false, false]);
  });

  it('refuses what is not a whole day number, years a four-digit date cannot write, and year 0', () => {
    expect(isCalendarDay(2008, 1.5, 1)).toBe(false);
    expect(isCalendarDay(2008, 1, Number.NaN)).toBe(false);
    expect(isCalendarDay(-1, 1, 1)).toBe(false);
    expect(isCalendarDay(10000, 1, 1)).toBe(false);
    // 0000-01-01 is a JavaScript Date, but Postgres (and ISO 8601 without an agreement) has no year 0:
    // passed as a day, a member or line date of year 0 failed the fold's write instead of its reader.
    expect(isCalendarDay(0, 1, 1)).toBe(false);
    expect(isCalendarDay(1, 1, 1)).toBe(true);
  });
});
