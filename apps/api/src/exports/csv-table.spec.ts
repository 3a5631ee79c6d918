import { toCsv } from './csv';
import { csvColumnsOf } from './csv-table';

describe('csvColumnsOf', () => {
  it('keeps the rows’ field order, nested objects one level deep as parent.child', () => {
    const rows = [
      { value: 'MEDICARE', claims: 12, daysToClear: { p50: 8, p90: 13 } },
      { value: 'AETNA', claims: 3, daysToClear: { p50: null, p90: null }, suppressed: ['claims'] },
    ];
    expect(toCsv(csvColumnsOf(rows), rows)).toBe(
      '"value","claims","daysToClear.p50","daysToClear.p90","suppressed"\r\n' +
        '"MEDICARE",12,8,13,\r\n' +
        '"AETNA",3,,,"claims"\r\n',
    );
  });

  it('joins lists with semicolons and neutralises a formula a row carries', () => {
    const rows = [{ claimId: '=HYPERLINK("x")', reasons: ['NPI_INVALID', '@SUM(A1)'] }];
    expect(toCsv(csvColumnsOf(rows), rows)).toBe(
      '"claimId","reasons"\r\n"\'=HYPERLINK(""x"")","NPI_INVALID;@SUM(A1)"\r\n',
    );
  });

  it('writes a header-less empty document for no rows', () => {
    expect(toCsv(csvColumnsOf([]), [])).toBe('\r\n');
  });
});
