import { RawClaimRecordSchema, sha256Hex } from '@claims/contracts';
import { REPO_ROOT } from '@claims/harness';
import type { ConsumedMessage } from '@claims/kafka';
import { rawRecordEvent } from '@claims/source-layouts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeRawMessage } from './normalize-raw-message';

const SAMPLE = join(REPO_ROOT, 'data', 'desynpuf', 'sample2', 'DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv');
const firstRecord = readFileSync(SAMPLE, 'utf8').split(/\r?\n/)[1] ?? '';
const options = { patientTokenKey: 'unit-test-key-0123456789' };

function consumed(value: string | null, headers: Record<string, string> = {}): ConsumedMessage {
  return {
    topic: 'claims.raw.v1',
    partition: 0,
    message: {
      key: Buffer.from('k'),
      value: value === null ? null : Buffer.from(value),
      timestamp: '0',
      attributes: 0,
      offset: '7',
      headers,
    },
  };
}

function rawMessage(record: string): string {
  return JSON.stringify(
    rawRecordEvent({
      layout: 'desynpuf.carrier',
      record,
      recordNumber: 1,
      source: 'sample.csv',
      fileId: sha256Hex('file'),
      publishedAt: '2026-01-01T00:00:00.000Z',
    }),
  );
}

describe('normalizeRawMessage', () => {
  it('emits the canonical event keyed by claim id with lineage headers and the trace carried over', () => {
    const traceParent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const outcome = normalizeRawMessage(consumed(rawMessage(firstRecord), { traceparent: traceParent }), options);
    if (!('emit' in outcome)) throw new Error('expected an emitted event');
    expect(outcome.emit.key).toBe('737473360654133');
    expect(outcome.emit.headers['traceparent']).toBe(traceParent);
    expect(outcome.emit.headers['x-lineage-record-number']).toBe('1');
    expect(JSON.parse(outcome.emit.value).claim.lines).toHaveLength(6);
  });

  it('dead-letters a message that is not JSON with JSON_INVALID', () => {
    expect(normalizeRawMessage(consumed('{not json'), options)).toEqual({
      deadLetter: { code: 'JSON_INVALID', reason: 'message value is not JSON' },
    });
  });

  it('dead-letters a tombstone (no value) with JSON_INVALID', () => {
    expect(normalizeRawMessage(consumed(null), options)).toMatchObject({ deadLetter: { code: 'JSON_INVALID' } });
  });

  it('dead-letters a raw event missing its lineage with SCHEMA_INVALID naming the field', () => {
    const event = RawClaimRecordSchema.parse(JSON.parse(rawMessage(firstRecord)));
    const { lineage, ...withoutLineage } = event;
    expect(lineage.recordNumber).toBe(1);
    const outcome = normalizeRawMessage(consumed(JSON.stringify(withoutLineage)), options);
    expect(outcome).toEqual({ deadLetter: { code: 'SCHEMA_INVALID', reason: 'invalid fields: lineage' } });
  });

  it('dead-letters a record with an unparseable amount with AMOUNT_INVALID', () => {
    const columns = firstRecord.split(',');
    columns[51] = 'ninety';
    const outcome = normalizeRawMessage(consumed(rawMessage(columns.join(','))), options);
    expect(outcome).toEqual({
      deadLetter: { code: 'AMOUNT_INVALID', reason: 'LINE_NCH_PMT_AMT_1 is not a dollar amount' },
    });
  });

  it('never puts record values into a dead-letter reason', () => {
    const columns = firstRecord.split(',');
    columns[2] = '2008AB03';
    const outcome = normalizeRawMessage(consumed(rawMessage(columns.join(','))), options);
    expect(outcome).toMatchObject({ deadLetter: { code: 'DATE_INVALID' } });
    expect(JSON.stringify(outcome)).not.toContain('2008AB03');
  });
});
