import { httpDate, representationOf, strongEtag } from './conditional-get';

describe('conditional GET helpers', () => {
  it('tags the exact bytes Express sends: a string as is, anything else as JSON.stringify writes it', () => {
    const body = { open: { claims: 2, amountCents: 10500 }, asOf: '2024-03-31' };
    expect(representationOf(body)).toBe(JSON.stringify(body));
    expect(representationOf('a,b\r\n')).toBe('a,b\r\n');
  });

  it('makes a strong tag that changes with any byte and stays the same for the same body', () => {
    const tag = strongEtag('{"claims":2}');
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(strongEtag('{"claims":2}')).toBe(tag);
    expect(strongEtag('{"claims":3}')).not.toBe(tag);
  });

  it('writes an HTTP-date in GMT to the second', () => {
    expect(httpDate(new Date('2024-03-31T12:34:56.789Z'))).toBe('Sun, 31 Mar 2024 12:34:56 GMT');
  });
});
