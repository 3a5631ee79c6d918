import { ClaimEventSchema } from '@claims/contracts';
import { join } from 'node:path';
import { acknowledgementsOf999, claimAcknowledgementsOf277, claimStatusesOf277 } from './acknowledgements';
import { x12DispositionOf } from './x12-layouts';
import { normalizeX12Record } from './normalize-x12-record';
import { X12_SAMPLES, rawEventOf, transactionSetsOfFile, transactionSetsOfText } from './__tests__/x12-samples';

const patientTokenKey = 'unit-test-key-0123456789';

const envelope = (groupCode: string, version: string, body: string): string =>
  'ISA*00*          *00*          *ZZ*PAYER          *ZZ*PROVIDER       *240110*0800*^*00501*000000042*0*P*:~' +
  `GS*${groupCode}*PAYER*PROVIDER*20240110*0800*42*X*${version}~${body}GE*1*42~IEA*1*000000042~`;

/** A 999 answering three 837 transaction sets: accepted, accepted with errors, rejected with a located element error. */
const FUNCTIONAL_ACK = envelope(
  'FA',
  '005010X231A1',
  'ST*999*0001*005010X231A1~AK1*HC*17*005010X222A1~' +
    'AK2*837*0001*005010X222A1~IK5*A~' +
    'AK2*837*0002*005010X222A1~IK3*REF*12*2010AA*8~IK5*E~' +
    'AK2*837*0003*005010X222A1~IK3*CLM*27*2300*8~IK4*2**6*1OO.OO~IK5*R*5~' +
    'AK9*P*3*3*2~SE*13*0001~',
);

/** A 277CA: one claim accepted (A1), one rejected for invalid information (A7), one not found (A4). */
const CLAIM_ACK = envelope(
  'HN',
  '005010X214',
  'ST*277*0001*005010X214~BHT*0085*08*277CA1*20240110*0800*TH~' +
    'HL*1**20*1~NM1*PR*2*ACME HEALTH*****PI*12345~TRN*1*BATCH1~DTP*050*D8*20240109~DTP*009*D8*20240110~' +
    'HL*2*1*21*1~NM1*41*2*BILLING SERVICE*****46*TGJ23~TRN*2*REF1~STC*A1:19:PR*20240110*WQ*300~' +
    'HL*3*2*19*1~NM1*85*2*BEN KILDARE SERVICE*****XX*1912301953~TRN*1*0~' +
    'HL*4*3*PT~NM1*QC*1*SMITH*JANE****MI*JS00111223333~TRN*2*26463774~STC*A1:20:PR*20240110*WQ*100~REF*1K*PCN001~DTP*472*RD8*20061003-20061010~' +
    'HL*5*3*PT~NM1*QC*1*DOE*JON****MI*030005074~TRN*2*756048Q~STC*A7:21:IL*20240110*U*89.95******A7:145:IL~DTP*472*D8*20050315~' +
    'HL*6*3*PT~NM1*QC*1*ROE*RAY****MI*123405074~TRN*2*756049Q~STC*A4:35*20240110*U*50~' +
    'SE*30*0001~',
);

describe('acknowledgementsOf999', () => {
  it('reads every acknowledged transaction set of a pyx12 999 sample as accepted', async () => {
    const sets = await transactionSetsOfFile(join(X12_SAMPLES, 'pyx12', '834_lui_id_5010.999.txt'));
    const acknowledged = sets.flatMap((set) => acknowledgementsOf999(set.segments));
    expect(
      acknowledged.map((entry) => [entry.transactionSetId, entry.transactionControlNumber, entry.eventType]),
    ).toEqual([
      ['834', '0001', 'acknowledged'],
      ['834', '0001', 'acknowledged'],
      ['834', '0001', 'acknowledged'],
      ['834', '0001', 'acknowledged'],
    ]);
  });

  it('maps IK5 A, E and R to accepted, accepted with errors and rejected, with IK3/IK4 errors located', async () => {
    const [set] = await transactionSetsOfText(FUNCTIONAL_ACK);
    const acknowledged = acknowledgementsOf999(set!.segments);
    expect(
      acknowledged.map((entry) => [entry.transactionControlNumber, entry.eventType, entry.acknowledgement.status]),
    ).toEqual([
      ['0001', 'acknowledged', 'accepted'],
      ['0002', 'acknowledged', 'accepted_with_errors'],
      ['0003', 'rejected', 'rejected'],
    ]);
    expect(acknowledged[2]?.acknowledgement).toMatchObject({
      statusCode: 'R',
      statusCodes: ['5'],
      errors: [
        { segmentTag: 'CLM', segmentPosition: 27, elementPosition: null, errorCode: '8' },
        { segmentTag: 'CLM', segmentPosition: 27, elementPosition: 2, errorCode: '6' },
      ],
    });
  });
});

describe('claimAcknowledgementsOf277', () => {
  it('reads each 2000D claim with its category: A1 accepted, A7 rejected, A4 acknowledged with errors', async () => {
    const [set] = await transactionSetsOfText(CLAIM_ACK);
    const claims = claimAcknowledgementsOf277(set!.segments, patientTokenKey);
    expect(
      claims.map((claim) => [
        claim.claimId,
        claim.eventType,
        claim.acknowledgement.status,
        claim.acknowledgement.statusCodes,
      ]),
    ).toEqual([
      ['26463774', 'acknowledged', 'accepted', ['20']],
      ['756048Q', 'rejected', 'rejected', ['21', '145']],
      ['756049Q', 'acknowledged', 'accepted_with_errors', ['35']],
    ]);
    expect(claims[0]).toMatchObject({
      payer: 'ACME HEALTH',
      billingNpi: '1912301953',
      statusDate: '2024-01-10',
      billedAmountCents: 10000,
      payerClaimControlNumber: 'PCN001',
      serviceFromDate: '2006-10-03',
      serviceThroughDate: '2006-10-10',
    });
    expect(JSON.stringify(claims)).not.toContain('JS00111223333');
  });
});

describe('claimStatusesOf277 (005010X212 claim status response)', () => {
  const statusSample = (name: string): string => join(X12_SAMPLES, 'linuxforhealth', '277_005010X212', name);

  it('reads each subscriber or dependent claim by its patient account number (REF*EJ), not the inquiry trace', async () => {
    const [set] = await transactionSetsOfFile(statusSample('claim-level-status.277'));
    const claims = claimStatusesOf277(set!.segments, patientTokenKey);
    expect(
      claims.map((claim) => [
        claim.claimId,
        claim.billingNpi,
        claim.acknowledgement.kind,
        claim.acknowledgement.statusCode,
        claim.acknowledgement.status,
        claim.billedAmountCents,
      ]),
    ).toEqual([
      ['SM123456', '1666666661', '277', 'P3', 'accepted', 851388],
      ['J0234567', '1666666661', '277', 'F0', 'accepted', 759900],
      ['MA345678', '166666666', '277', 'F2', 'accepted', 15000],
    ]);
    expect(claims[2]).toMatchObject({
      payer: 'ABC INSURANCE',
      statusDate: '2005-06-12',
      payerClaimControlNumber: '051681010827',
    });
    expect(JSON.stringify(claims)).not.toMatch(/123456789A|345678901/);
  });

  it('leaves provider-level status out and keeps the claim-level one of the same response', async () => {
    const [set] = await transactionSetsOfFile(statusSample('provider-level-status.277'));
    expect(claimStatusesOf277(set!.segments, patientTokenKey).map((claim) => claim.claimId)).toEqual(['SM123456']);
  });

  it('skips a response with no claim-level status as nothing to fold, rather than failing it', async () => {
    const [set] = await transactionSetsOfFile(statusSample('information-receiver-level-status.277'));
    expect(x12DispositionOf(set!)).toEqual({
      kind: 'skip',
      code: 'X12_TRANSACTION_NOT_FOLDED',
      reason: 'transaction set 277 (claim status response) holds no claim-level status',
    });
  });
});

describe('normalizeX12Record for acknowledgements', () => {
  it('emits valid canonical acknowledged and rejected events for a 277CA and a 999', async () => {
    const sets = [...(await transactionSetsOfText(CLAIM_ACK)), ...(await transactionSetsOfText(FUNCTIONAL_ACK))];
    const events = sets.flatMap((set) => normalizeX12Record(rawEventOf(set), { patientTokenKey }));
    expect(events.map((event) => [event.layout, event.claimId, event.eventType, event.occurredAt])).toEqual([
      ['x12.277ca', '26463774', 'acknowledged', '2024-01-10'],
      ['x12.277ca', '756048Q', 'rejected', '2024-01-10'],
      ['x12.277ca', '756049Q', 'acknowledged', '2024-01-10'],
      ['x12.999', 'x12-ts:17:0001', 'acknowledged', '2024-01-10'],
      ['x12.999', 'x12-ts:17:0002', 'acknowledged', '2024-01-10'],
      ['x12.999', 'x12-ts:17:0003', 'rejected', '2024-01-10'],
    ]);
    for (const event of events) expect(ClaimEventSchema.parse(event)).toEqual(event);
  });

  it("names on a 999's verdict the acknowledged set: its submitter (the 999's ISA08), AK102 and AK202", async () => {
    const events = (await transactionSetsOfText(FUNCTIONAL_ACK)).flatMap((set) =>
      normalizeX12Record(rawEventOf(set), { patientTokenKey }),
    );
    expect(events.map((event) => event.claim.submission)).toEqual(
      ['0001', '0002', '0003'].map((transactionControlNumber) => ({
        senderId: 'PROVIDER',
        groupControlNumber: '17',
        transactionControlNumber,
      })),
    );
  });
});

describe('normalizeX12Record for the same 999 bytes sent to two submitters', () => {
  const toSubmitter = (receiver: string): string =>
    FUNCTIONAL_ACK.replace('*ZZ*PROVIDER       *', `*ZZ*${receiver.padEnd(15)}*`);

  it('keeps their verdicts apart: one event id per submitter, the same on a replay of either', async () => {
    const eventIds = async (text: string): Promise<string[]> =>
      (await transactionSetsOfText(text))
        .flatMap((set) => normalizeX12Record(rawEventOf(set), { patientTokenKey }))
        .map((event) => event.eventId);
    const first = await eventIds(toSubmitter('PROVIDERA'));
    const second = await eventIds(toSubmitter('PROVIDERB'));
    expect(first).toHaveLength(3);
    expect(second.filter((eventId) => first.includes(eventId))).toEqual([]);
    expect(await eventIds(toSubmitter('PROVIDERA'))).toEqual(first);
  });
});

/** A 277CA of one payer and the given provider (2000C) and claim (2000D) loops, its SE01 counted. */
function claimAcknowledgement(loops: string[]): string {
  const segments = [
    'ST*277*0001*005010X214',
    'BHT*0085*08*277CA2*20240110*0800*TH',
    'HL*1**20*1',
    'NM1*PR*2*ACME HEALTH*****PI*12345',
    'TRN*1*BATCH2',
    'DTP*050*D8*20240109',
    'DTP*009*D8*20240110',
    'HL*2*1*21*1',
    'NM1*41*2*BILLING SERVICE*****46*TGJ23',
    'TRN*2*REF2',
    'STC*A1:19:PR*20240110*WQ*300',
    ...loops,
  ];
  return envelope('HN', '005010X214', `${[...segments, `SE*${segments.length + 1}*0001`].join('~')}~`);
}

describe('claimAcknowledgementsOf277 with several statuses per claim', () => {
  const verdicts = async (loops: string[]) => {
    const [set] = await transactionSetsOfText(claimAcknowledgement(loops));
    return claimAcknowledgementsOf277(set!.segments, patientTokenKey).map((claim) => [
      claim.claimId,
      claim.eventType,
      claim.acknowledgement.statusCode,
      claim.statusDate,
      claim.billedAmountCents,
    ]);
  };
  const provider = ['HL*3*2*19*1', 'NM1*85*2*BEN KILDARE SERVICE*****XX*1912301953', 'TRN*1*0'];

  it('rejects a claim whose receipt (A1) is followed by a rejecting STC, dated by the rejection', async () => {
    expect(
      await verdicts([
        ...provider,
        'HL*4*3*PT',
        'NM1*QC*1*SMITH*JANE****MI*JS00111223333',
        'TRN*2*26463774',
        'STC*A1:19:PR*20240110*WQ*100',
        'STC*A7:33:IL*20240111*U',
      ]),
    ).toEqual([['26463774', 'rejected', 'A7', '2024-01-11', 10000]]);
  });

  it('reads the same verdict whatever the order of the STCs', async () => {
    const claim = (stcs: string[]) => [...provider, 'HL*4*3*PT', 'NM1*QC*1*SMITH*JANE', 'TRN*2*26463774', ...stcs];
    const accepted = 'STC*A2:20:PR*20240110*WQ*100';
    const rejected = 'STC*A3:21:85*20240110*U*100';
    expect(await verdicts(claim([rejected, accepted]))).toEqual(await verdicts(claim([accepted, rejected])));
  });

  it('rejects a claim whose rejection is carried in STC10 of an accepting STC01', async () => {
    expect(
      await verdicts([
        ...provider,
        'HL*4*3*PT',
        'NM1*QC*1*SMITH*JANE',
        'TRN*2*26463774',
        'STC*A1:19:PR*20240110*WQ*100******A6:145:IL',
      ]),
    ).toEqual([['26463774', 'rejected', 'A6', '2024-01-10', 10000]]);
  });

  it('reads a second status written into STC01 with the repetition separator (ISA11) as a status of its own', async () => {
    expect(
      await verdicts([
        ...provider,
        'HL*4*3*PT',
        'NM1*QC*1*SMITH*JANE',
        'TRN*2*26463774',
        'STC*A1:19:PR^A7:145:IL*20240110*U*100',
      ]),
    ).toEqual([['26463774', 'rejected', 'A7', '2024-01-10', 10000]]);
  });

  it('rejects a claim whose rejecting category is padded with spaces (A7 :145), as the A7 it is', async () => {
    expect(
      await verdicts([
        ...provider,
        'HL*4*3*PT',
        'NM1*QC*1*SMITH*JANE',
        'TRN*2*26463774',
        'STC*A7 :145 :IL*20240110*U*100',
      ]),
    ).toEqual([['26463774', 'rejected', 'A7', '2024-01-10', 10000]]);
  });

  it('keeps the first STC of a claim that nothing rejects', async () => {
    expect(
      await verdicts([
        ...provider,
        'HL*4*3*PT',
        'NM1*QC*1*SMITH*JANE',
        'TRN*2*26463774',
        'STC*A1:19:PR*20240110*WQ*100',
        'STC*A2:20:PR*20240112*WQ*100',
      ]),
    ).toEqual([['26463774', 'acknowledged', 'A1', '2024-01-10', 10000]]);
  });
});

describe('claimAcknowledgementsOf277 across providers and payers', () => {
  it("gives a claim of a provider named by tax id only no billing NPI, not the previous provider's", async () => {
    const [set] = await transactionSetsOfText(
      claimAcknowledgement([
        'HL*3*2*19*1',
        'NM1*85*2*BEN KILDARE SERVICE*****XX*1912301953',
        'HL*4*3*PT',
        'NM1*QC*1*SMITH*JANE',
        'TRN*2*26463774',
        'STC*A2:20:PR*20240110*WQ*100',
        'HL*5*2*19*1',
        'NM1*85*2*ATYPICAL TRANSPORT*****FI*123456789',
        'HL*6*5*PT',
        'NM1*QC*1*DOE*JON',
        'TRN*2*756048Q',
        'STC*A2:20:PR*20240110*WQ*89.95',
      ]),
    );
    expect(
      claimAcknowledgementsOf277(set!.segments, patientTokenKey).map((claim) => [claim.claimId, claim.billingNpi]),
    ).toEqual([
      ['26463774', '1912301953'],
      ['756048Q', null],
    ]);
  });

  it("gives a claim under a second payer (2000A) that payer's processing date, not the first payer's", async () => {
    const [set] = await transactionSetsOfText(
      claimAcknowledgement([
        'HL*3*2*19*1',
        'NM1*85*2*BEN KILDARE SERVICE*****XX*1912301953',
        'HL*4*3*PT',
        'NM1*QC*1*SMITH*JANE',
        'TRN*2*26463774',
        'STC*A2:20:PR**WQ*100',
        'HL*5**20*1',
        'NM1*PR*2*OTHER HEALTH*****PI*67890',
        'TRN*1*BATCH3',
        'DTP*009*D8*20240112',
        'HL*6*5*21*1',
        'NM1*41*2*BILLING SERVICE*****46*TGJ23',
        'HL*7*6*19*1',
        'NM1*85*2*ATYPICAL TRANSPORT*****FI*123456789',
        'HL*8*7*PT',
        'NM1*QC*1*DOE*JON',
        'TRN*2*756048Q',
        'STC*A2:20:PR**WQ*89.95',
      ]),
    );
    expect(
      claimAcknowledgementsOf277(set!.segments, patientTokenKey).map((claim) => [
        claim.claimId,
        claim.payer,
        claim.billingNpi,
        claim.statusDate,
      ]),
    ).toEqual([
      ['26463774', 'ACME HEALTH', '1912301953', '2024-01-10'],
      ['756048Q', 'OTHER HEALTH', null, '2024-01-12'],
    ]);
  });
});

describe('acknowledgementsOf999 with malformed verdicts', () => {
  const functionalAck = (ik5: string): string =>
    envelope(
      'FA',
      '005010X231A1',
      `ST*999*0001*005010X231A1~AK1*HC*17*005010X222A1~AK2*837*0001*005010X222A1~${ik5}~AK9*A*1*1*1~SE*6*0001~`,
    );

  it.each([
    ['a blank IK501', 'IK5'],
    ['an IK501 outside code list 717', 'IK5*Q'],
    ['the group-level code P in IK501', 'IK5*P'],
  ])('refuses %s rather than counting the set as rejected', async (_, ik5) => {
    const [set] = await transactionSetsOfText(functionalAck(ik5));
    expect(() => acknowledgementsOf999(set!.segments)).toThrow(
      expect.objectContaining({
        code: 'X12_SEGMENT_INVALID',
        location: { segmentNumber: 6, elementPosition: 1 },
      }) as Error,
    );
  });

  it.each([
    ['M', 'rejected'],
    ['W', 'rejected'],
    ['X', 'rejected'],
    ['R', 'rejected'],
    ['E', 'accepted_with_errors'],
  ])('reads IK501 %s as %s', async (code, status) => {
    const [set] = await transactionSetsOfText(functionalAck(`IK5*${code}`));
    expect(acknowledgementsOf999(set!.segments).map((entry) => entry.acknowledgement.status)).toEqual([status]);
  });

  it('refuses a second IK5 in one AK2 loop rather than dropping the verdict it carries', async () => {
    const [set] = await transactionSetsOfText(
      envelope(
        'FA',
        '005010X231A1',
        'ST*999*0001*005010X231A1~AK1*HC*17*005010X222A1~AK2*837*0001*005010X222A1~IK5*A~IK5*R*5~' +
          'AK9*R*1*1*0~SE*7*0001~',
      ),
    );
    expect(() => acknowledgementsOf999(set!.segments)).toThrow(
      expect.objectContaining({
        code: 'X12_SEGMENT_INVALID',
        location: { segmentNumber: 7, elementPosition: 0 },
      }) as Error,
    );
  });

  it('keeps both verdicts of a set a 999 answers twice, so any rejection of it counts', async () => {
    const [set] = await transactionSetsOfText(
      envelope(
        'FA',
        '005010X231A1',
        'ST*999*0001*005010X231A1~AK1*HC*17*005010X222A1~AK2*837*0001*005010X222A1~IK5*A~' +
          'AK2*837*0001*005010X222A1~IK5*R*5~AK9*P*2*2*1~SE*8*0001~',
      ),
    );
    expect(
      acknowledgementsOf999(set!.segments).map((entry) => [entry.transactionControlNumber, entry.eventType]),
    ).toEqual([
      ['0001', 'acknowledged'],
      ['0001', 'rejected'],
    ]);
  });
});
