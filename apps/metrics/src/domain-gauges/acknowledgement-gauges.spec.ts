import { acknowledgementGaugeSamples } from './acknowledgement-gauges';

describe('acknowledgementGaugeSamples', () => {
  it('names the payers with the most overdue submissions and gathers the rest under "other"', () => {
    const samples = acknowledgementGaugeSamples(
      [
        { payer: 'A', awaiting: '999', submissions: 9, overdue: 0, oldest_age_days: 0 },
        { payer: 'B', awaiting: '999', submissions: 1, overdue: 1, oldest_age_days: 3 },
        { payer: 'C', awaiting: '999', submissions: 2, overdue: 2, oldest_age_days: 5 },
        { payer: 'C', awaiting: '277ca', submissions: 1, overdue: 0, oldest_age_days: 1 },
      ],
      [],
      2,
    );
    expect(samples.overdue).toEqual([
      { labels: { payer: 'other', awaiting: '999' }, value: 0 },
      { labels: { payer: 'B', awaiting: '999' }, value: 1 },
      { labels: { payer: 'C', awaiting: '999' }, value: 2 },
      { labels: { payer: 'C', awaiting: '277ca' }, value: 0 },
    ]);
    expect(samples.unacknowledged[0]).toEqual({ labels: { payer: 'other', awaiting: '999' }, value: 9 });
    expect(samples.oldestAgeSeconds).toEqual([
      { labels: { payer: 'other' }, value: 0 },
      { labels: { payer: 'B' }, value: 3 * 86_400 },
      { labels: { payer: 'C' }, value: 5 * 86_400 },
    ]);
  });

  it('names the payers with the most 277CA rejections over seven days, one sample a window', () => {
    const samples = acknowledgementGaugeSamples(
      [],
      [
        { payer: 'A', acknowledged_1d: 5, rejected_1d: 0, acknowledged_7d: 50, rejected_7d: 0 },
        { payer: 'B', acknowledged_1d: 2, rejected_1d: 1, acknowledged_7d: 9, rejected_7d: 3 },
        { payer: 'C', acknowledged_1d: 1, rejected_1d: 1, acknowledged_7d: 4, rejected_7d: 1 },
      ],
      1,
    );
    expect(samples.claimsRejected).toEqual([
      { labels: { payer: 'other', window: '1d' }, value: 1 },
      { labels: { payer: 'other', window: '7d' }, value: 1 },
      { labels: { payer: 'B', window: '1d' }, value: 1 },
      { labels: { payer: 'B', window: '7d' }, value: 3 },
    ]);
    expect(samples.claimsAcknowledged).toContainEqual({ labels: { payer: 'other', window: '7d' }, value: 54 });
  });
});
