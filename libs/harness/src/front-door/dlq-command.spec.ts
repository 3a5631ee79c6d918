import { formatDeadLetterListing } from './dlq-command';

describe('formatDeadLetterListing', () => {
  it('counts by stage and reason in aligned columns, then the latest entries with their reasons', () => {
    const text = formatDeadLetterListing({
      open: 3,
      resolved: 1,
      byStageAndReason: [
        { stage: 'normalizer', errorCode: 'DATE_OUT_OF_RANGE', open: 2, resolved: 1, replayable: 2 },
        { stage: 'ingestor', errorCode: 'RECORD_TOO_LARGE', open: 1, resolved: 0, replayable: 0 },
      ],
      latest: [
        {
          deadLetterId: 'normalizer:claims.raw.v1:0:7',
          stage: 'normalizer',
          errorCode: 'DATE_OUT_OF_RANGE',
          reason: 'CLM_FROM_DT is outside the plausible service dates 1966-07-01 to 2099-12-31',
          failedAt: '2026-01-02T03:04:05.678Z',
          fileId: 'ab'.repeat(32),
          recordNumber: 7,
          source: 'claims.csv',
          recordOutcome: 'dead_lettered',
        },
      ],
    });
    expect(text.split('\n')).toEqual([
      'dead letters: 3 open, 1 resolved (replayed and folded since)',
      '  stage       reason             open  resolved  replayable',
      '  normalizer  DATE_OUT_OF_RANGE     2         1           2',
      '  ingestor    RECORD_TOO_LARGE      1         0           0',
      'latest:',
      '  2026-01-02T03:04:05Z  normalizer  DATE_OUT_OF_RANGE  claims.csv #7  CLM_FROM_DT is outside the plausible service dates 1966-07-01 to 2099-12-31',
    ]);
  });
});
