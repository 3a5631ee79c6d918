import { postgresText, postgresTextOrNull } from './postgres-text';

describe('postgresText', () => {
  it('replaces every NUL character with U+FFFD and leaves every other character as it is', () => {
    expect(postgresText('segment CL\u0000 of \u0000x12')).toBe('segment CL\uFFFD of \uFFFDx12');
    expect(postgresText('tab\there, é, \u0001')).toBe('tab\there, é, \u0001');
  });

  it('returns the very string when it holds no NUL', () => {
    const text = 'claims-2024-03.csv';
    expect(postgresText(text)).toBe(text);
  });

  it('keeps an absent value absent', () => {
    expect(postgresTextOrNull(null)).toBeNull();
    expect(postgresTextOrNull(undefined)).toBeNull();
    expect(postgresTextOrNull('a\u0000')).toBe('a\uFFFD');
  });
});
