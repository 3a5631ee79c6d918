import { ClaimEventSchema, type ClaimEvent } from '@claims/contracts';
import { normalizeX12RecordEvents } from './normalize-x12-record';
import { interchangeOfOneSet, rawEventOf, transactionSetsOfText } from './__tests__/x12-samples';

/**
 * 837s that break the guide (005010X222A1, 005010X223A2) in ways a submitter's
 * software does: what becomes of their claims, read the whole way from the
 * interchange to the canonical events the normalizer publishes.
 */
const options = { patientTokenKey: 'unit-test-key-0123456789' };
const interchange = (version: '005010X222A1' | '005010X223A2', body: readonly string[]): string =>
  interchangeOfOneSet(version, ['BHT*0019*00*1*20240110*1200*CH', ...body]);

const HIERARCHY = [
  'NM1*41*2*SUBMITTER*****46*S1',
  'NM1*40*2*RECEIVER*****46*R1',
  'HL*1**20*1',
  'NM1*85*2*CLINIC*****XX*1111111112',
  'REF*EI*111111111',
  'HL*2*1*22*0',
  'SBR*P*18*******CI',
  'NM1*IL*1*DOE*JOHN****MI*SUB-A',
  'NM1*PR*2*ACME HEALTH*****PI*PAYER01',
];

async function eventsOf(version: '005010X222A1' | '005010X223A2', body: readonly string[]): Promise<ClaimEvent[]> {
  const sets = await transactionSetsOfText(interchange(version, body));
  const events = sets.flatMap((set) => normalizeX12RecordEvents(rawEventOf(set), options).claims);
  for (const event of events) expect(ClaimEventSchema.parse(event)).toEqual(event);
  return events;
}

describe('837 service lines that break the guide', () => {
  it('keeps a claim with no service line, dated by BHT04, and says it has neither lines nor a service date', async () => {
    const [event] = await eventsOf('005010X222A1', [
      ...HIERARCHY,
      'CLM*NOLINES*100.00***11:B:1*Y*A*Y*Y',
      'HI*ABK:J069',
    ]);
    expect(event?.claim).toMatchObject({
      billedAmountCents: 10000,
      lines: [],
      serviceFromDate: '2024-01-10',
      serviceThroughDate: '2024-01-10',
    });
    expect(event?.dataQuality.map((finding) => [finding.code, finding.field])).toEqual([
      ['CLAIM_LINES_MISSING', 'LX'],
      ['SERVICE_DATE_MISSING', 'DTP*472'],
    ]);
    expect(event?.dataQuality[0]?.message).toContain('100.00');
  });

  it('says when an 837I claim without a statement period or dated lines is dated by BHT04', async () => {
    const [event] = await eventsOf('005010X223A2', [
      ...HIERARCHY,
      'CLM*UNDATED*50.00***13:A:1**A*Y*Y',
      'HI*ABK:J069',
      'LX*1',
      'SV2*0300*HC:85087*50.00*UN*1',
    ]);
    expect([event?.claim.serviceFromDate, event?.claim.serviceThroughDate]).toEqual(['2024-01-10', '2024-01-10']);
    expect(event?.dataQuality.map((finding) => [finding.code, finding.field])).toEqual([
      ['SERVICE_DATE_MISSING', 'DTP*434'],
    ]);
  });

  it('reads composites by the separator every CLM05 uses when ISA16 declares another, and by ISA16 otherwise', async () => {
    const claim = (id: string, clm05: string, separator: string) => [
      `CLM*${id}*100.00***${clm05}*Y*A*Y*Y`,
      `HI*ABK${separator}J069`,
      'LX*1',
      `SV1*HC${separator}99213${separator}25*100.00*UN*1***1`,
      'DTP*472*D8*20240105',
    ];
    const [redeclared] = await eventsOf('005010X222A1', [...HIERARCHY, ...claim('GT', '11>B>7', '>')]);
    expect(redeclared?.claim.diagnoses).toEqual([{ code: 'J069', system: 'ICD-10-CM' }]);
    expect(
      redeclared?.claim.lines.map((line) => [line.hcpcsCode, line.procedureModifiers, line.placeOfServiceCode]),
    ).toEqual([['99213', ['25'], '11']]);
    expect(redeclared?.dataQuality.map((finding) => [finding.code, finding.field])).toEqual([
      ['COMPONENT_SEPARATOR_UNDECLARED', 'ISA16'],
    ]);
    // One claim of the set writes ISA16's separator: nothing is second-guessed, and the other claim reads as sent.
    const mixed = await eventsOf('005010X222A1', [
      ...HIERARCHY,
      ...claim('COLON', '11:B:1', ':'),
      ...claim('GT', '11>B>1', '>'),
    ]);
    expect(
      mixed.map((event) => [
        event.claimId,
        event.claim.diagnoses.length,
        event.dataQuality.map((finding) => [finding.code, finding.field]),
      ]),
    ).toEqual([
      ['COLON', 1, []],
      // Read by ISA16, its HI holds no code: the pointer of its line names nothing, and the claim says so.
      ['GT', 0, [['DIAGNOSIS_POINTER_INVALID', 'SV107']]],
    ]);
  });

  it('says a claim whose 2000B has no 2010BA subscriber has no member id, and gives each such claim a token of its own', async () => {
    const events = await eventsOf('005010X222A1', [
      ...HIERARCHY.filter((segment) => !segment.startsWith('NM1*IL')),
      ...['FIRST', 'SECOND'].flatMap((id) => [
        `CLM*${id}*100.00***11:B:1*Y*A*Y*Y`,
        'HI*ABK:J069',
        'LX*1',
        'SV1*HC:99213*100.00*UN*1***1',
        'DTP*472*D8*20240105',
      ]),
    ]);
    expect(events.map((event) => [event.claimId, event.claim.payer])).toEqual([
      ['FIRST', 'ACME HEALTH'],
      ['SECOND', 'ACME HEALTH'],
    ]);
    expect(events.map((event) => event.dataQuality.map((finding) => [finding.code, finding.field]))).toEqual([
      [['SUBSCRIBER_ID_MISSING', 'NM1*IL']],
      [['SUBSCRIBER_ID_MISSING', 'NM1*IL']],
    ]);
    expect(events[0]?.claim.patientToken).not.toBe(events[1]?.claim.patientToken);
  });
});
