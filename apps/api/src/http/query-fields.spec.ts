import { CalendarDate, queryText } from './query-fields';

describe('the shared query vocabulary', () => {
  it('takes a calendar date from year 0001 to 9999, and refuses year 0, which Postgres has not', () => {
    for (const date of ['0001-01-01', '2024-02-29', '9999-12-31'])
      expect(CalendarDate.safeParse(date).success).toBe(true);
    for (const date of ['0000-01-01', '0000-02-29', '0000-12-31', '2023-02-29', '2024-1-01', '+02024-01-01']) {
      expect({ date, ok: CalendarDate.safeParse(date).success }).toEqual({ date, ok: false });
    }
  });

  it('takes text within its length and refuses a NUL character anywhere in it', () => {
    const text = queryText(1, 8);
    expect(text.safeParse('MEDICARE').success).toBe(true);
    expect(text.safeParse('MD, VA').success).toBe(true);
    for (const value of ['\u0000', 'MD\u0000', '\u0000MD', '', 'MEDICARE+']) {
      expect({ value, ok: text.safeParse(value).success }).toEqual({ value, ok: false });
    }
    expect(queryText(0, 4).safeParse('').success).toBe(true);
  });
});
