import { suppressSmallCells } from '../privacy/small-cell';
import { PMPM_CELLS } from './small-cells';
import type { PmpmResponse } from './volume-cost.service';

/*
 * PMPM rows add up, benefit by benefit, to that benefit's entry in `totals`
 * (claims and dollars alike): a withheld row must not come back as its
 * benefit's total less the rows of that benefit left shown, and a row must
 * not be withheld for another benefit's sake.
 */

const THRESHOLD = 11;

type Row = PmpmResponse['rows'][number];
type Total = PmpmResponse['totals'][number];

const figures = (claims: number, memberMonths = 1200) => ({
  claims,
  paidAmountCents: claims * 10_000,
  memberMonths,
  pmpmCents: Math.round((claims * 10_000) / memberMonths),
});
const row = (key: string, benefit: Row['benefit'], claims: number): Row => ({ key, benefit, ...figures(claims) });
const total = (benefit: Total['benefit'], claims: number): Total => ({ benefit, ...figures(claims) });

function answer(rows: Row[]): PmpmResponse {
  const benefits = [...new Set(rows.map((each) => each.benefit))];
  return {
    year: 2009,
    groupBy: 'claim_type',
    filter: {},
    members: 100,
    totals: benefits.map((benefit) =>
      total(
        benefit,
        rows.filter((each) => each.benefit === benefit).reduce((sum, each) => sum + each.claims, 0),
      ),
    ),
    rows,
    unmatched: { claims: 40, paidAmountCents: 400_000 },
  } as PmpmResponse;
}

/** What a reader recovers of a benefit's withheld rows: its total less the rows of it left shown. */
function recoverable(suppressed: ReturnType<typeof suppressSmallCells<PmpmResponse>>): Array<[string, number]> {
  return suppressed.totals.flatMap((each) => {
    const rows = suppressed.rows.filter((candidate) => candidate.benefit === each.benefit);
    const hidden = rows.filter((candidate) => candidate.claims === null);
    const shownClaims = rows.reduce((sum, candidate) => sum + (candidate.claims ?? 0), 0);
    return hidden.length === 1 && each.claims !== null ? [[hidden[0]?.key ?? '', each.claims - shownClaims]] : [];
  });
}

describe('PMPM small cells', () => {
  it("withholds a second row of the same benefit, so a withheld row is not its benefit's total less the others", () => {
    const suppressed = suppressSmallCells(
      answer([
        row('professional', 'medical', 5),
        row('institutional_inpatient', 'medical', 100),
        row('pharmacy', 'pharmacy', 50),
      ]),
      PMPM_CELLS,
      THRESHOLD,
    );
    expect(suppressed.rows.find((each) => each.key === 'professional')?.claims).toBeNull();
    expect(recoverable(suppressed)).toEqual([]);
    // Pharmacy is its benefit's only row, equal to its total: withholding it would hide nothing the total does not show.
    expect(suppressed.rows.find((each) => each.key === 'pharmacy')?.claims).toBe(50);
  });

  it('protects each benefit on its own, by month as by claim type', () => {
    const rows = [
      row('2009-01', 'medical', 40),
      row('2009-02', 'medical', 3),
      row('2009-03', 'medical', 60),
      row('2009-01', 'pharmacy', 20),
      row('2009-02', 'pharmacy', 2),
      row('2009-03', 'pharmacy', 30),
    ];
    const byMonth: PmpmResponse = { ...answer(rows), groupBy: 'month' };
    const suppressed = suppressSmallCells(byMonth, PMPM_CELLS, THRESHOLD);
    expect(suppressed.rows.filter((each) => each.claims === null).map((each) => `${each.benefit} ${each.key}`)).toEqual(
      ['medical 2009-01', 'medical 2009-02', 'pharmacy 2009-01', 'pharmacy 2009-02'],
    );
    expect(recoverable(suppressed)).toEqual([]);
  });
});
