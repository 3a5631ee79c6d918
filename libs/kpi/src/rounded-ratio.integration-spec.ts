import { Client } from 'pg';
import { ratio } from './denial-cost-summary';
import { clearedWithinSla } from './pend-aging';
import { roundedRatio } from './rounded-ratio';

/**
 * The served rates (denial rates, the pended queue's SLA share, prevalence)
 * are documented as SQL: round(numerator::numeric / denominator, 4). The
 * TypeScript that serves them must give the same number for every count,
 * the halves included.
 */
describe('rounded ratios against Postgres numeric round', () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });

  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('equals round(n::numeric / d, 4) for every n <= d <= 1000 whose quotient is a half of the 4th decimal', async () => {
    const numerators: number[] = [];
    const denominators: number[] = [];
    for (let denominator = 1; denominator <= 1000; denominator += 1) {
      for (let numerator = 0; numerator <= denominator; numerator += 1) {
        // A half: 20000 × n / d is an odd integer. Plus a sample of every other quotient.
        const twice = 20_000 * numerator;
        if ((twice % denominator === 0 && (twice / denominator) % 2 === 1) || numerator % 97 === 0) {
          numerators.push(numerator);
          denominators.push(denominator);
        }
      }
    }
    const { rows } = await client.query<{ rate: string }>(
      `SELECT round(n::numeric / d, 4)::text AS rate
         FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS t(n, d, position) ORDER BY position`,
      [numerators, denominators],
    );
    const differing = rows.flatMap((row, index) => {
      const [numerator = 0, denominator = 1] = [numerators[index], denominators[index]];
      const served = [
        roundedRatio(numerator, denominator, 4),
        ratio(numerator, denominator),
        clearedWithinSla(
          [
            { days: 0, claims: numerator },
            { days: 99, claims: denominator - numerator },
          ],
          30,
        ).share,
      ];
      return served.every((value) => value === Number(row.rate))
        ? []
        : [{ numerator, denominator, sql: row.rate, served }];
    });
    expect(rows.length).toBeGreaterThan(1000);
    expect(differing).toEqual([]);
  });
});
