import { sha256Hex, type DeadLetter } from '@claims/contracts';
import { deadLetterId } from './record-accounting.repository';

const base: DeadLetter = {
  schemaVersion: 1,
  stage: 'normalizer',
  errorCode: 'DATE_OUT_OF_RANGE',
  reason: 'CLM_FROM_DT is outside the plausible service dates',
  failedAt: '2026-01-01T00:00:00.000Z',
  origin: { topic: 'ns.claims.raw.v1', partition: 1, offset: '17', key: 'c1' },
  originalValueBase64: '',
  originalHeaders: {},
};

describe('deadLetterId', () => {
  it('identifies a dead letter by the message that failed, so a redelivered batch repeats the same id', () => {
    expect(deadLetterId(base)).toBe('normalizer:ns.claims.raw.v1:1:17');
    expect(deadLetterId({ ...base, failedAt: '2026-01-02T00:00:00.000Z' })).toBe(deadLetterId(base));
  });

  it('identifies a record the ingestor refused by its file and record number', () => {
    const lineage = { source: 'a.csv', fileId: sha256Hex('a'), recordNumber: 3, recordSha256: sha256Hex('r') };
    expect(deadLetterId({ ...base, stage: 'ingestor', origin: null, lineage })).toBe(`ingestor:${lineage.fileId}:3`);
  });
});
