import { fixtureClaimEvent, fixtureLine } from '@claims/harness';
import { fileQualityTally } from './file-quality-tally';

describe('fileQualityTally', () => {
  const event = fixtureClaimEvent('c1', [
    fixtureLine({ lineNumber: 1 }),
    fixtureLine({ lineNumber: 2, hcpcsCode: null }),
  ]);

  it('counts findings by code and null canonical fields per file', () => {
    const withFindings = {
      ...event,
      dataQuality: [
        { code: 'NPI_CHECK_DIGIT_INVALID', field: 'PRF_PHYSN_NPI_1', message: 'fails the check digit' },
        { code: 'NPI_CHECK_DIGIT_INVALID', field: 'PRF_PHYSN_NPI_2', message: 'fails the check digit' },
      ],
    };
    const tally = fileQualityTally([withFindings, event]);
    const count = (kind: string, name: string) =>
      tally.find((entry) => entry.kind === kind && entry.name === name)?.count;
    expect(count('finding', 'NPI_CHECK_DIGIT_INVALID')).toBe(2);
    expect(count('null_field', 'claim.drgCode')).toBe(2);
    expect(count('null_field', 'line.hcpcsCode')).toBe(2);
    expect(tally.every((entry) => entry.fileId === event.lineage.fileId)).toBe(true);
  });

  it('leaves out what is present, and answers nothing for no events', () => {
    const withDrg = { ...event, claim: { ...event.claim, drgCode: '470' } };
    expect(fileQualityTally([withDrg]).some((entry) => entry.name === 'claim.drgCode')).toBe(false);
    expect(fileQualityTally([])).toEqual([]);
  });

  it('orders its entries the same way every time, so concurrent folds lock rows in one order', () => {
    const tally = fileQualityTally([event]);
    const names = tally.map((entry) => `${entry.kind}/${entry.name}`);
    expect(names).toEqual([...names].sort());
  });
});
