import { ClaimEventSchema } from '@claims/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeX12Record } from './normalize-x12-record';
import { X12_SAMPLES, rawEventOf, transactionSetsOfFile, transactionSetsOfText } from './__tests__/x12-samples';

const options = { patientTokenKey: 'unit-test-key-0123456789' };

async function eventsOf(...path: string[]) {
  const sets = await transactionSetsOfFile(join(X12_SAMPLES, ...path));
  return sets.flatMap((set) => normalizeX12Record(rawEventOf(set), options));
}

describe('normalizeX12Record', () => {
  it('emits one submitted event per CLM of an 837I transaction set, each a valid canonical event with its own id', async () => {
    const events = await eventsOf('linuxforhealth', '837_005010X223A3', 'two-claims-single-provider.837i');
    expect(
      events.map((event) => [event.eventType, event.claimId, event.occurredAt, event.claim.billedAmountCents]),
    ).toEqual([
      ['submitted', '756048Q', '2005-03-15', 8995],
      ['submitted', '756049Q', '2005-04-01', 5000],
    ]);
    for (const event of events) expect(ClaimEventSchema.parse(event)).toEqual(event);
    expect(new Set(events.map((event) => event.eventId)).size).toBe(2);
    expect(events.every((event) => event.lineage.recordNumber === 1 && event.layout === 'x12.837i')).toBe(true);
  });

  it('names on each submitted claim the transaction set a 999 answers (ISA06, GS06, ST02), BHT04 and CLM05-3', async () => {
    const events = await eventsOf('linuxforhealth', '837_005010X222A2', 'demo.example1.837');
    // The sample's own envelope: ISA06 000000005, GS06 1, ST02 0021, BHT04 20061015, CLM05 11:B:1.
    expect(events.map((event) => [event.claimId, event.claim.submission])).toEqual([
      [
        '26463774',
        {
          senderId: '000000005',
          groupControlNumber: '1',
          transactionControlNumber: '0021',
          submittedDate: '2006-10-15',
          frequencyCode: '1',
        },
      ],
    ]);
  });

  it('emits one adjudicated event per CLP of an 835, dated by the payment date (the production date when BPR16 is no date)', async () => {
    const events = await eventsOf('linuxforhealth', '835_005010X221A1', 'managed-care.835');
    expect(
      events.map((event) => [event.eventType, event.claimId, event.occurredAt, event.claim.adjudication?.status]),
    ).toEqual([
      ['adjudicated', '5554555444', '2002-03-14', 'partially_paid'],
      ['adjudicated', '8765432112', '2002-03-14', 'partially_paid'],
    ]);
    for (const event of events) expect(ClaimEventSchema.parse(event)).toEqual(event);
  });

  it("takes a remitted claim's allowed as its lines' allowed less the payer's reductions at claim level: paid plus owed", async () => {
    const events = await eventsOf('linuxforhealth', '835_005010X221A1', 'managed-care.835');
    // CLP 800.00 paid 450.00 owed 300.00 with a claim-level CO-A2 50.00; CLP 1200.00 paid 495.00 owed 600.00 with CO-A2 55.00.
    expect(events.map((event) => event.claim.totals.allowedAmountCents)).toEqual([75000, 109500]);
    for (const event of events) {
      expect(event.claim.totals.allowedAmountCents).toBe(
        (event.claim.adjudication?.paidAmountCents ?? 0) + (event.claim.adjudication?.patientResponsibilityCents ?? 0),
      );
    }
  });

  it("normalizes an 835 whose reversal negates its service lines' units to events the contract accepts", async () => {
    const body =
      'ST*835*0001~BPR*I*20*C*NON************20240105~TRN*1*R1*1999999999~DTM*405*20240105~N1*PR*ACME HEALTH~' +
      'LX*1~CLP*C-1*22*-200*-80*-60*12*PCN1~SVC*HC:99213*-200*-80**-1~CAS*CO*45*-60~' +
      'CLP*C-1*1*200*100*60*12*PCN1~SVC*HC:99213*200*100**1~CAS*CO*45*40~SE*13*0001~';
    const [set] = await transactionSetsOfText(
      'ISA*00*          *00*          *ZZ*PAYER          *ZZ*PROVIDER       *240110*0800*^*00501*000000042*0*P*:~' +
        `GS*HP*PAYER*PROVIDER*20240110*0800*42*X*005010X221A1~${body}GE*1*42~IEA*1*000000042~`,
    );
    const events = normalizeX12Record(rawEventOf(set!), options);
    expect(events.map((event) => event.claim.lines.map((line) => line.serviceUnitCount))).toEqual([[1], [1]]);
    for (const event of events) expect(ClaimEventSchema.parse(event)).toEqual(event);
  });

  it("carries on the submitted event a finding for a CLM02 that is not the sum of its lines' charges", async () => {
    const [balanced] = await eventsOf('linuxforhealth', '837_005010X223A3', 'two-claims-single-provider.837i');
    expect(balanced?.dataQuality).toEqual([]);
    const [set] = await transactionSetsOfText(
      readFileSync(
        join(X12_SAMPLES, 'linuxforhealth', '837_005010X223A3', 'two-claims-single-provider.837i'),
        'utf8',
      ).replace('CLM*756048Q*89.95*', 'CLM*756048Q*99.95*'),
    );
    const [unbalanced] = normalizeX12Record(rawEventOf(set!), options);
    expect(unbalanced?.dataQuality.map((finding) => [finding.code, finding.field])).toEqual([
      ['CLAIM_UNBALANCED', 'CLM02'],
    ]);
    expect(unbalanced?.claim.billedAmountCents).toBe(9995);
  });

  it('never carries a member id on a canonical event', async () => {
    const events = await eventsOf('linuxforhealth', '835_005010X221A1', 'managed-care.835');
    expect(JSON.stringify(events)).not.toContain('33344555510');
  });

  it('dead-letters a raw event whose record is not a whole transaction set with X12_SEGMENT_INVALID', async () => {
    const [set] = await transactionSetsOfFile(
      join(X12_SAMPLES, 'linuxforhealth', '835_005010X221A1', 'managed-care.835'),
    );
    const raw = rawEventOf(set!);
    const cut = { ...raw, record: raw.record.slice(0, raw.record.indexOf('SE*')) };
    expect(() => normalizeX12Record(cut, options)).toThrow(expect.objectContaining({ code: 'X12_SEGMENT_INVALID' }));
  });

  it('dead-letters a raw event without its envelope context with X12_CONTEXT_INVALID', async () => {
    const [set] = await transactionSetsOfFile(
      join(X12_SAMPLES, 'linuxforhealth', '835_005010X221A1', 'managed-care.835'),
    );
    const raw = { ...rawEventOf(set!), header: null };
    expect(() => normalizeX12Record(raw, options)).toThrow(expect.objectContaining({ code: 'X12_CONTEXT_INVALID' }));
  });
});
