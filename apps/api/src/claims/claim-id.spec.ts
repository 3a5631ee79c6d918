import { MAX_CLAIM_ID_LENGTH, isClaimId } from './claim-id';

describe('claim ids in a path', () => {
  it.each(['887183385979389', 'PCN-1001', 'x12-ts:12:0001', 'ACME 2024/0042', 'a'.repeat(MAX_CLAIM_ID_LENGTH)])(
    'accepts %s, as a source writes it',
    (claimId) => {
      expect(isClaimId(claimId)).toBe(true);
    },
  );

  it.each([
    ['an empty id', ''],
    ['an id longer than the limit', 'a'.repeat(MAX_CLAIM_ID_LENGTH + 1)],
    ['a leading blank', ' C1'],
    ['a trailing blank', 'C1 '],
    ['a control character', 'C1\u0000'],
    ['a line break', 'C1\nC2'],
    ['a non-ASCII character', 'Cé1'],
  ])('refuses %s', (_, claimId) => {
    expect(isClaimId(claimId)).toBe(false);
  });
});
