import { RawClaimRecordSchema } from '@claims/contracts';
import { rawMessageFor } from './raw-events';

const LINEAGE = { source: 'inpatient.csv', fileId: 'f'.repeat(64), recordNumber: 1 };
const HEADER = '"DESYNPUF_ID","CLM_ID","SEGMENT","CLM_FROM_DT"';
const RECORD = 'BC9048E51D1FFF60,200000000000000,1,20080601';

describe('rawMessageFor', () => {
  it("carries an inpatient record's file header and claim id, as the ingestor publishes a layout read by column name", () => {
    const message = rawMessageFor('inpatient', RECORD, LINEAGE, HEADER);
    const event = RawClaimRecordSchema.parse(JSON.parse(message.value));
    expect(event).toMatchObject({
      layout: 'desynpuf.inpatient',
      claimId: '200000000000000',
      header: HEADER,
      record: RECORD,
    });
    expect(message.key).toBe('200000000000000');
  });

  it("reads the claim id by the file's header, wherever its CLM_ID column stands", () => {
    const header = '"CLM_ID","DESYNPUF_ID","SEGMENT","CLM_FROM_DT"';
    const record = '200000000000007,BC9048E51D1FFF60,1,20080601';
    const message = rawMessageFor('inpatient', record, LINEAGE, header);
    expect(JSON.parse(message.value)).toMatchObject({ claimId: '200000000000007' });
    expect(message.key).toBe('200000000000007');
  });

  it('sends a carrier record without a header, keyed by its claim id', () => {
    const carrier = '00013D2EFD8E45D1,887733340995634,20091105,20091105,1';
    const event = JSON.parse(rawMessageFor('carrier', carrier, LINEAGE, 'DESYNPUF_ID,CLM_ID').value);
    expect(event.header).toBeUndefined();
    expect(event).toMatchObject({ layout: 'desynpuf.carrier', claimId: '887733340995634' });
  });
});
