import { scoreProviderOutliers, type ProviderVolumeCostSqlRow } from './provider-outliers';

const provider = (
  npi: string,
  specialty: string | null,
  claims: number,
  paidCents: number,
): ProviderVolumeCostSqlRow => ({
  npi,
  specialty,
  claims,
  lines: claims,
  paid_amount_cents: String(paidCents),
});

describe('scoreProviderOutliers', () => {
  // Cardiology: 10, 10, 10, 50 claims → mean 20, population stddev sqrt((3·100 + 900)/4) = sqrt(300) ≈ 17.3205.
  const cardiology = [
    provider('A', 'Cardiology', 10, 100_000),
    provider('B', 'Cardiology', 10, 100_000),
    provider('C', 'Cardiology', 10, 100_000),
    provider('D', 'Cardiology', 50, 500_000),
  ];

  it('scores volume within the specialty with the population standard deviation', () => {
    const result = scoreProviderOutliers(cardiology, { by: 'volume', threshold: 1.5, limit: 10 });
    expect(result).toEqual({
      providersScored: 4,
      specialtiesScored: 1,
      providersWithoutSpecialty: 0,
      rows: [
        {
          npi: 'D',
          specialty: 'Cardiology',
          claims: 50,
          lines: 50,
          paidAmountCents: 500_000,
          value: 50,
          specialtyMean: 20,
          specialtyStddev: 17.32,
          specialtyProviders: 4,
          zScore: 1.732,
        },
      ],
    });
  });

  it('scores cost as paid cents per claim: equal cost per claim is no spread, so nobody is scored', () => {
    expect(scoreProviderOutliers(cardiology, { by: 'cost', threshold: 0, limit: 10 })).toEqual({
      providersScored: 0,
      specialtiesScored: 0,
      providersWithoutSpecialty: 0,
      rows: [],
    });
  });

  it('keeps low outliers too (negative z), largest |z| first, and never compares across specialties', () => {
    // Family medicine per claim: 100, 100, 100, 20 → mean 80, stddev sqrt((3·400 + 3600)/4) = sqrt(1200) ≈ 34.641.
    const result = scoreProviderOutliers(
      [
        ...cardiology,
        provider('F1', 'Family Medicine', 10, 1_000),
        provider('F2', 'Family Medicine', 10, 1_000),
        provider('F3', 'Family Medicine', 10, 1_000),
        provider('F4', 'Family Medicine', 10, 200),
        provider('S', 'Surgery', 99, 99_000_000),
        provider('U', null, 40, 4_000),
      ],
      { by: 'cost', threshold: 1, limit: 10 },
    );
    expect(result.providersScored).toBe(4);
    expect(result.specialtiesScored).toBe(1);
    expect(result.providersWithoutSpecialty).toBe(1);
    expect(result.rows.map((row) => [row.npi, row.value, row.specialtyMean, row.specialtyStddev, row.zScore])).toEqual([
      ['F4', 20, 80, 34.64, -1.732],
    ]);
  });

  it('cuts the list at the limit after ordering by |z| then NPI', () => {
    const result = scoreProviderOutliers(
      [provider('Z', 'X', 1, 0), provider('Y', 'X', 3, 0), provider('W', 'Y', 1, 0), provider('V', 'Y', 3, 0)],
      { by: 'volume', threshold: 0, limit: 3 },
    );
    expect(result.rows.map((row) => [row.npi, row.zScore])).toEqual([
      ['V', 1],
      ['W', -1],
      ['Y', 1],
    ]);
  });

  it('lists a provider whose z is exactly the threshold though floating point makes it 1.9999999999999998', () => {
    // Cost per claim 100/3 for four peers and 300/3 for the fifth: mean 140/3, stddev 80/3, so z = 2 exactly.
    const peers = ['P1', 'P2', 'P3', 'P4'].map((npi) => provider(npi, 'Cardiology', 3, 100));
    const result = scoreProviderOutliers([...peers, provider('P5', 'Cardiology', 3, 300)], {
      by: 'cost',
      threshold: 2,
      limit: 10,
    });
    expect(result.rows.map((row) => [row.npi, row.value, row.zScore])).toEqual([['P5', 100, 2]]);
  });

  it('lists both of two peers at |z| = 1 with threshold 1, whichever way the rounding falls', () => {
    // 100/3 and 200/3 per claim: z is −1 and +1, computed as −0.9999999999999998 and 1.0000000000000002.
    const result = scoreProviderOutliers([provider('L', 'Surgery', 3, 100), provider('H', 'Surgery', 3, 200)], {
      by: 'cost',
      threshold: 1,
      limit: 10,
    });
    expect(result.rows.map((row) => [row.npi, row.zScore])).toEqual([
      ['H', 1],
      ['L', -1],
    ]);
  });

  it('rounds a cost per claim ending in half a hundredth of a cent away from zero, as round(paid::numeric / claims, 2)', () => {
    // 23 cents over 40 claims is 0.575 exactly: 0.58, where the double 0.575 × 100 falls short at 57.49999….
    const result = scoreProviderOutliers(
      [provider('P1', 'Radiology', 40, 23), provider('P2', 'Radiology', 40, 4_100)],
      { by: 'cost', threshold: 0, limit: 10 },
    );
    expect(result.rows.map((row) => [row.npi, row.value])).toEqual([
      ['P1', 0.58],
      ['P2', 102.5],
    ]);
  });

  it('still leaves out a provider whose z is truly under the threshold, if only by a little', () => {
    // Volume 10, 10, 10, 11, 30: mean 14.2, stddev √62.56 ≈ 7.9095, z ≈ 1.9976 (shown as 1.998).
    const result = scoreProviderOutliers(
      [
        ...['Q1', 'Q2', 'Q3'].map((npi) => provider(npi, 'Cardiology', 10, 0)),
        provider('Q4', 'Cardiology', 11, 0),
        provider('Q5', 'Cardiology', 30, 0),
      ],
      { by: 'volume', threshold: 2, limit: 10 },
    );
    expect(result.providersScored).toBe(5);
    expect(result.rows).toEqual([]);
  });
});
