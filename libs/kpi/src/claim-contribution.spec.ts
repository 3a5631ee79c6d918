import {
  BLANK_INDICATOR,
  claimContribution,
  contributionOfClaimLines,
  combineContributions,
  counterKey,
  KPI,
  parseCounterKey,
} from './claim-contribution';
import { fixtureEnrichedEvent } from '@claims/harness';

describe('counterKey and parseCounterKey', () => {
  it('joins a KPI and its dimension with a bar, the dimension defaulting to empty', () => {
    expect(counterKey(KPI.claimsReceived)).toBe('claims_received|');
    expect(counterKey(KPI.linesByProcessingIndicator, '@')).toBe('lines_by_processing_indicator|@');
  });

  it('splits a key back at its first bar, so a dimension may itself contain one', () => {
    expect(parseCounterKey('claims_received|')).toEqual({ kpi: 'claims_received', dimension: '' });
    expect(parseCounterKey(counterKey('lines_by_processing_indicator', 'a|b'))).toEqual({
      kpi: 'lines_by_processing_indicator',
      dimension: 'a|b',
    });
  });
});

describe('claimContribution', () => {
  it('counts the claim, its lines by category and indicator, and its amounts, dropping zero entries', () => {
    const event = fixtureEnrichedEvent('A1', [
      { indicator: 'A', category: 'allowed', paymentCents: 9000, allowedCents: 11000 },
      { indicator: 'O', category: 'not_allowed', paymentCents: 0, allowedCents: 7000 },
      { indicator: null, category: 'unknown', paymentCents: 500, allowedCents: 0 },
    ]);
    expect(claimContribution(event)).toEqual({
      'claims_received|': 1,
      'lines_received|': 3,
      'lines_by_processing_category|allowed': 1,
      'lines_by_processing_category|not_allowed': 1,
      'lines_by_processing_category|unknown': 1,
      'lines_by_processing_indicator|A': 1,
      'lines_by_processing_indicator|O': 1,
      'lines_by_processing_indicator|(blank)': 1,
      'line_payment_amount_cents|': 9500,
      'line_allowed_amount_cents|': 18000,
      'line_payment_amount_cents_by_processing_category|allowed': 9000,
      'line_payment_amount_cents_by_processing_category|unknown': 500,
      'line_allowed_amount_cents_by_processing_category|allowed': 11000,
      'line_allowed_amount_cents_by_processing_category|not_allowed': 7000,
    });
  });

  it('counts a line without an indicator under the (blank) dimension', () => {
    const event = fixtureEnrichedEvent('B1', [
      { indicator: null, category: 'unknown', paymentCents: 0, allowedCents: 0 },
    ]);
    expect(BLANK_INDICATOR).toBe('(blank)');
    expect(claimContribution(event)[counterKey(KPI.linesByProcessingIndicator, BLANK_INDICATOR)]).toBe(1);
  });

  it('counts a claim without lines as one claim and nothing else', () => {
    expect(claimContribution(fixtureEnrichedEvent('C1', []))).toEqual({ 'claims_received|': 1 });
  });

  it('sums several lines of one category into one counter', () => {
    const event = fixtureEnrichedEvent('D1', [
      { indicator: 'S', category: 'msp_cob', paymentCents: 100, allowedCents: 200 },
      { indicator: '@', category: 'msp_cob', paymentCents: 300, allowedCents: 400 },
    ]);
    const contribution = claimContribution(event);
    expect(contribution['lines_by_processing_category|msp_cob']).toBe(2);
    expect(contribution['line_payment_amount_cents_by_processing_category|msp_cob']).toBe(400);
    expect(contribution['line_allowed_amount_cents_by_processing_category|msp_cob']).toBe(600);
  });

  it('drops an amount counter whose lines cancel out to zero', () => {
    const event = fixtureEnrichedEvent('E1', [
      { indicator: 'A', category: 'allowed', paymentCents: 2000, allowedCents: 2500 },
      { indicator: 'R', category: 'reprocessed', paymentCents: -2000, allowedCents: -2500 },
    ]);
    const contribution = claimContribution(event);
    expect(contribution).not.toHaveProperty(['line_payment_amount_cents|']);
    expect(contribution).not.toHaveProperty(['line_allowed_amount_cents|']);
    expect(contribution['line_payment_amount_cents_by_processing_category|reprocessed']).toBe(-2000);
    expect(contribution['lines_received|']).toBe(2);
  });
});

describe('combineContributions', () => {
  it('adds two contributions key by key, dropping keys that sum to zero', () => {
    expect(combineContributions({ a: 1, b: 2 }, { b: -2, c: 3 })).toEqual({ a: 1, c: 3 });
  });

  it('subtracts with sign -1', () => {
    expect(combineContributions({ a: 5, b: 2 }, { a: 3, b: 2, c: 1 }, -1)).toEqual({ a: 2, c: -1 });
  });

  it('leaves both inputs unchanged', () => {
    const left = { a: 1 };
    const right = { a: -1, b: 2 };
    combineContributions(left, right);
    expect(left).toEqual({ a: 1 });
    expect(right).toEqual({ a: -1, b: 2 });
  });

  it('returns to where it started after adding and subtracting the same contribution', () => {
    const base = { 'claims_received|': 3, 'lines_received|': 7 };
    const change = { 'claims_received|': 1, 'line_payment_amount_cents|': 9000 };
    expect(combineContributions(combineContributions(base, change), change, -1)).toEqual(base);
  });
});

describe('contributionOfClaimLines', () => {
  it('rebuilds from stored line fields exactly what the claim event contributed', () => {
    const event = fixtureEnrichedEvent('stored', [
      { indicator: 'A', category: 'allowed', paymentCents: 9000, allowedCents: 11000 },
      { indicator: null, category: 'unknown', paymentCents: 0, allowedCents: 500 },
    ]);
    const storedLines = event.claim.lines.map(
      ({ processingCategory, processingIndicatorCode, paymentAmountCents, allowedAmountCents }) => ({
        processingCategory,
        processingIndicatorCode,
        paymentAmountCents,
        allowedAmountCents,
      }),
    );
    expect(contributionOfClaimLines(storedLines)).toEqual(claimContribution(event));
  });

  it('counts a stored claim without lines as one claim and nothing else', () => {
    expect(contributionOfClaimLines([])).toEqual({ 'claims_received|': 1 });
  });
});
