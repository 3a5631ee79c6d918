import {
  PROVIDER_ADJUSTMENT_REASON_LABELS,
  providerAdjustmentReasonLabel,
  providerAdjustmentSummary,
} from './provider-adjustments';

describe('providerAdjustmentReasonLabel', () => {
  it('gives the common PLB reasons a short label of their own', () => {
    expect(['L6', 'WO', 'FB', 'CS', '72', 'J1'].every((code) => PROVIDER_ADJUSTMENT_REASON_LABELS[code])).toBe(true);
    expect(providerAdjustmentReasonLabel('WO')).toBe(PROVIDER_ADJUSTMENT_REASON_LABELS['WO']);
  });

  it('shows a code it does not know as it came', () => {
    expect(providerAdjustmentReasonLabel('ZZ9')).toBe('ZZ9');
  });
});

describe('providerAdjustmentSummary', () => {
  it('turns Postgres bigints into numbers and labels each reason, keeping the guide’s sign', () => {
    const summary = providerAdjustmentSummary(
      'reason',
      { adjustments: '3', amount_cents: '8750', withheld_cents: '10000', added_cents: '1250' },
      [
        { key: 'L6', name: null, adjustments: '1', amount_cents: '-1250', withheld_cents: '0', added_cents: '1250' },
        { key: 'WO', name: null, adjustments: '2', amount_cents: '10000', withheld_cents: '10000', added_cents: '0' },
      ],
    );
    expect(summary).toEqual({
      totals: { adjustments: 3, amountCents: 8750, withheldCents: 10000, addedCents: 1250 },
      rows: [
        {
          key: 'L6',
          label: providerAdjustmentReasonLabel('L6'),
          adjustments: 1,
          amountCents: -1250,
          withheldCents: 0,
          addedCents: 1250,
        },
        {
          key: 'WO',
          label: providerAdjustmentReasonLabel('WO'),
          adjustments: 2,
          amountCents: 10000,
          withheldCents: 10000,
          addedCents: 0,
        },
      ],
    });
  });

  it('labels a payer row with the payer’s name and answers zeros when nothing was adjusted', () => {
    const summary = providerAdjustmentSummary('payer', undefined, [
      { key: '999', name: 'ACME', adjustments: 1, amount_cents: 5, withheld_cents: 5, added_cents: 0 },
    ]);
    expect(summary.totals).toEqual({ adjustments: 0, amountCents: 0, withheldCents: 0, addedCents: 0 });
    expect(summary.rows[0]?.label).toBe('ACME');
  });
});
