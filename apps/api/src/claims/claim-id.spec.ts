import { MAX_CLAIM_ID_LENGTH, isClaimId } from './claim-id';

describe('claim ids in a path or a cursor', () => {
  it.each([
    '887183385979389',
    'PCN-1001',
    'x12-ts:12:0001',
    'ACME 2024/0042',
    'Réf-2024-0001',
    '請求-42',
    'C'.repeat(1024),
    'a'.repeat(MAX_CLAIM_ID_LENGTH),
  ])('accepts %s, as a source writes it and the pipeline stores it', (claimId) => {
    expect(isClaimId(claimId)).toBe(true);
  });

  it.each([
    ['an empty id', ''],
    ['an id longer than any field a layout reads', 'a'.repeat(MAX_CLAIM_ID_LENGTH + 1)],
    ['a NUL character, which no stored text holds', 'C1\u0000'],
  ])('refuses %s', (_, claimId) => {
    expect(isClaimId(claimId)).toBe(false);
  });
});
