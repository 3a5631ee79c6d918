import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { remittanceOf835 } from './remittance-835';
import { segmentsOfText } from './x12-segments';
import { X12Error } from './x12.errors';
import { X12_SAMPLES, centsOf, rawSegments, samplePaths, transactionSetsOfFile } from './__tests__/x12-samples';

const patientTokenKey = 'unit-test-key-0123456789';
const SAMPLES_835 = [
  ...samplePaths('linuxforhealth', '835_005010X221A1'),
  join(X12_SAMPLES, 'pyx12', '835_mult_loops.txt'),
];

async function remittanceOfFile(path: string) {
  const [set] = await transactionSetsOfFile(path);
  return remittanceOf835(set!.segments, patientTokenKey);
}

const separators = { element: '*', repetition: '^', component: ':', segment: '~' };
/** A hand-written 835 body (no envelope needed by the mapper). */
function remittanceOfText(text: string, remarkCodes?: ReadonlySet<string>) {
  return remittanceOf835(segmentsOfText(text, separators), patientTokenKey, remarkCodes);
}

describe('remittanceOf835', () => {
  it.each(SAMPLES_835.map((path) => [path.split('/').slice(-1)[0], path]))(
    '%s: CLP paid amounts and CAS totals by group code equal the raw segments to the cent',
    async (_name, path) => {
      const text = readFileSync(path!, 'utf8');
      const remittance = await remittanceOfFile(path!);
      const clps = rawSegments(text, 'CLP');
      expect(remittance.claims.map((claim) => [claim.claimId, claim.adjudication.paidAmountCents])).toEqual(
        clps.map((clp) => [clp[1], centsOf(clp[4])]),
      );
      const expectedByGroup = new Map<string, number>();
      for (const cas of rawSegments(text, 'CAS')) {
        for (let position = 2; position < cas.length; position += 3) {
          if (!cas[position]) continue;
          expectedByGroup.set(cas[1]!, (expectedByGroup.get(cas[1]!) ?? 0) + centsOf(cas[position + 1]));
        }
      }
      const actualByGroup = new Map<string, number>();
      for (const adjustment of remittance.claims.flatMap((claim) => claim.adjudication.adjustments ?? [])) {
        actualByGroup.set(
          adjustment.groupCode,
          (actualByGroup.get(adjustment.groupCode) ?? 0) + adjustment.amountCents,
        );
      }
      expect(actualByGroup).toEqual(expectedByGroup);
      expect(remittance.paymentAmountCents).toBe(centsOf(rawSegments(text, 'BPR')[0]?.[2]));
    },
  );

  it('reads the payment, trace, parties and claim statuses of a managed-care remittance', async () => {
    const remittance = await remittanceOfFile(
      join(X12_SAMPLES, 'linuxforhealth', '835_005010X221A1', 'managed-care.835'),
    );
    expect(remittance).toMatchObject({
      paymentAmountCents: 94500,
      paymentMethod: 'ACH',
      // BPR16 is 20002316 in the guide's example: no date, so DTM*405 (production) dates the payment.
      paymentDate: null,
      productionDate: '2002-03-14',
      dataQuality: [expect.objectContaining({ code: 'DATE_INVALID', field: 'BPR16' })],
      traceNumber: '7170066655',
      payer: { name: 'RUSHMORE LIFE' },
      payee: { name: 'ACME MEDICAL CENTER', npi: '5544667733', taxId: '777667755' },
    });
    const [first] = remittance.claims;
    expect(first?.adjudication).toMatchObject({
      status: 'partially_paid',
      claimStatusCode: '1',
      chargeAmountCents: 80000,
      paidAmountCents: 45000,
      patientResponsibilityCents: 30000,
      payerClaimControlNumber: '94060555410000',
      reversal: false,
      adjustments: [
        { lineNumber: null, groupCode: 'CO', carc: 'A2', amountCents: 5000, quantity: null },
        { lineNumber: 1, groupCode: 'PR', carc: '1', amountCents: 30000, quantity: null },
      ],
    });
    expect(first?.lines[0]).toMatchObject({
      hcpcsCode: '99211',
      chargeAmountCents: 80000,
      paymentAmountCents: 50000,
      deductibleAmountCents: 30000,
      serviceDate: '2002-03-01',
    });
  });

  it('marks a CLP02 = 4 claim denied and collects its line-level LQ remark codes once', async () => {
    const remittance = await remittanceOfFile(join(X12_SAMPLES, 'pyx12', '835_mult_loops.txt'));
    const [claim] = remittance.claims;
    expect(claim?.adjudication).toMatchObject({
      status: 'denied',
      paidAmountCents: 0,
      remarkCodes: ['N14'],
      paymentMethod: 'NON',
    });
    expect(claim?.lines).toHaveLength(3);
    expect(
      claim?.adjudication.adjustments?.map((adjustment) => [
        adjustment.lineNumber,
        adjustment.groupCode,
        adjustment.carc,
      ]),
    ).toEqual([
      [1, 'CO', '16'],
      [2, 'OA', 'A7'],
      [3, 'OA', 'A7'],
    ]);
  });

  it('reads MIA as an inpatient claim and MOA remark codes, and PLB as provider-level adjustments', async () => {
    const remittance = await remittanceOfFile(
      join(X12_SAMPLES, 'linuxforhealth', '835_005010X221A1', 'medicare-part-a.835'),
    );
    expect(remittance.claims.map((claim) => [claim.claimId, claim.claimType, claim.adjudication.remarkCodes])).toEqual([
      ['666123', 'institutional_inpatient', []],
      ['777777', 'professional', ['MA02']],
    ]);
    expect(remittance.providerAdjustments).toEqual([
      {
        providerId: '6543210903',
        fiscalPeriodDate: '2002-12-31',
        reasonCode: 'CV',
        reference: 'CP',
        amountCents: -127,
        segmentNumber: expect.any(Number),
        elementPosition: 3,
      },
    ]);
    expect(remittance.claims[0]).toMatchObject({ serviceFromDate: '2002-08-16', serviceThroughDate: '2002-08-24' });
  });

  it('reads every triplet of a CAS segment that carries several (up to six)', () => {
    const remittance = remittanceOfText(
      'BPR*I*80*C*CHK************20240105~TRN*1*CHK1*1999999999~N1*PR*ACME HEALTH~' +
        'CLP*C-1*1*200*80*60*12*PCN1~CAS*PR*1*40**2*20*1.5*3*0~CAS*CO*45*15*1*253*2.5*2*94*2.5~',
    );
    expect(remittance.claims[0]?.adjudication.adjustments).toEqual([
      { lineNumber: null, groupCode: 'PR', carc: '1', amountCents: 4000, quantity: null },
      { lineNumber: null, groupCode: 'PR', carc: '2', amountCents: 2000, quantity: 1.5 },
      { lineNumber: null, groupCode: 'PR', carc: '3', amountCents: 0, quantity: null },
      { lineNumber: null, groupCode: 'CO', carc: '45', amountCents: 1500, quantity: 1 },
      { lineNumber: null, groupCode: 'CO', carc: '253', amountCents: 250, quantity: 2 },
      { lineNumber: null, groupCode: 'CO', carc: '94', amountCents: 250, quantity: null },
    ]);
  });

  it('marks CLP02 = 22 a reversal, with the negative amounts the payer takes back', () => {
    const remittance = remittanceOfText(
      'BPR*I*0*C*NON************20240105~TRN*1*R1*1999999999~N1*PR*ACME HEALTH~' +
        'CLP*C-1*22*-200*-80*-60*12*PCN1~CAS*CO*45*-60~' +
        'CLP*C-1*1*200*100*60*12*PCN1~CAS*CO*45*40~',
    );
    expect(
      remittance.claims.map((claim) => [
        claim.adjudication.reversal,
        claim.adjudication.status,
        claim.adjudication.paidAmountCents,
      ]),
    ).toEqual([
      [true, null, -8000],
      [false, 'partially_paid', 10000],
    ]);
  });

  it("counts a reversal's negated paid units by their size, and keeps a negative count elsewhere as sent", () => {
    const remittance = remittanceOfText(
      'BPR*I*0*C*NON************20240105~TRN*1*R1*1999999999~N1*PR*ACME HEALTH~' +
        'CLP*C-1*22*-200*-80*-60*12*PCN1~SVC*HC:99213*-200*-80**-2~CAS*CO*45*-60~' +
        'CLP*C-1*1*200*100*60*12*PCN1~SVC*HC:99213*200*100**2~CAS*CO*45*40~' +
        'CLP*C-2*1*50*0*0*12*PCN2~SVC*HC:99213*50*0**-1~',
    );
    expect(remittance.claims.map((claim) => claim.lines.map((line) => line.serviceUnitCount))).toEqual([
      [2],
      [2],
      [-1],
    ]);
  });

  it.each(SAMPLES_835.map((path) => [path.split('/').slice(-1)[0], path]))(
    '%s: BPR02 equals Σ CLP04 − Σ PLB as computed from the raw segments, so no balance finding',
    async (_name, path) => {
      const text = readFileSync(path!, 'utf8');
      const claimsPaid = rawSegments(text, 'CLP').reduce((sum, clp) => sum + centsOf(clp[4]), 0);
      // PLB03/04, 05/06, ...: (reason:reference, amount) pairs.
      const plbTotal = rawSegments(text, 'PLB').reduce(
        (sum, plb) =>
          sum + plb.slice(4).reduce((pairs, amount, index) => pairs + (index % 2 === 0 ? centsOf(amount) : 0), 0),
        0,
      );
      expect(centsOf(rawSegments(text, 'BPR')[0]?.[2])).toBe(claimsPaid - plbTotal);
      const remittance = await remittanceOfFile(path!);
      expect(remittance.dataQuality.filter((finding) => finding.code === 'REMITTANCE_UNBALANCED')).toEqual([]);
    },
  );

  it('reports a BPR02 that is not the claims paid less the PLB amounts, and keeps the claims', () => {
    const remittance = remittanceOfText(
      'BPR*I*95*C*CHK************20240105~TRN*1*CHK1*1999999999~N1*PR*ACME HEALTH~' +
        'CLP*C-1*1*200*80**12*PCN1~CAS*CO*45*120~CLP*C-2*1*50*20**12*PCN2~CAS*CO*45*30~' +
        'PLB*1999999999*20241231*L6:INT*-2.5*WO:OVP*10~',
    );
    // 80.00 + 20.00 − (−2.50 + 10.00) = 92.50, not 95.00.
    expect(remittance.dataQuality).toEqual([
      {
        code: 'REMITTANCE_UNBALANCED',
        field: 'BPR02',
        message: expect.stringMatching(/is 95\.00, .*\(100\.00\) less the PLB adjustments \(7\.50\) come to 92\.50$/),
      },
    ]);
    expect(remittance.claims).toHaveLength(2);
  });

  it('reports a MOA, MIA or LQ*HE remark code the RARC list lacks, naming the element', () => {
    const remittance = remittanceOfText(
      'BPR*I*80*C*CHK************20240105~N1*PR*ACME HEALTH~' +
        'CLP*C-1*1*200*80**12*PCN1~MOA***MA02*ZZ901~SVC*HC:99213*200*80~CAS*CO*45*120~LQ*HE*N14~LQ*HE*Q9~',
      new Set(['MA02', 'N14']),
    );
    expect(remittance.dataQuality).toEqual([
      { code: 'REMARK_CODE_UNKNOWN', field: 'MOA04', message: expect.stringContaining('remark code ZZ901 (segment') },
      { code: 'REMARK_CODE_UNKNOWN', field: 'LQ02', message: expect.stringContaining('remark code Q9 (segment') },
    ]);
    // The codes stay on the claim as the payer sent them.
    expect(remittance.claims[0]?.adjudication.remarkCodes).toEqual(['MA02', 'ZZ901', 'N14', 'Q9']);
  });

  it('checks remark codes against the shipped RARC list by default: the samples’ MA02 and N14 are in it', async () => {
    for (const path of SAMPLES_835) {
      const remittance = await remittanceOfFile(path);
      expect(remittance.dataQuality.filter((finding) => finding.code === 'REMARK_CODE_UNKNOWN')).toEqual([]);
    }
    const unknown = remittanceOfText('BPR*I*0*C*NON~CLP*C-1*4*50*0**12*PCN1~CAS*CO*50*50~MOA***NOTARARC~');
    expect(unknown.dataQuality.map((finding) => [finding.code, finding.field])).toEqual([
      ['REMARK_CODE_UNKNOWN', 'MOA03'],
    ]);
  });

  it.each([
    ['1', 'paid'],
    ['2', 'paid'],
    ['19', 'paid'],
    ['21', 'paid'],
    ['4', 'denied'],
  ])('maps CLP02 = %s with paid = charge to %s', (code, status) => {
    const remittance = remittanceOfText(
      `BPR*I*50*C*CHK************20240105~CLP*C-1*${code}*50*${code === '4' ? '0' : '50'}**12*PCN1~`,
    );
    expect(remittance.claims[0]?.adjudication.status).toBe(code === '4' ? 'denied' : status);
  });
});

/** What remittanceOf835 threw; the test fails if it threw nothing or something else. */
function x12ErrorOf(run: () => unknown): X12Error {
  try {
    run();
  } catch (error) {
    if (error instanceof X12Error) return error;
    throw error;
  }
  throw new Error('expected an X12Error');
}

const PAYMENT_HEADER = 'BPR*I*73*C*CHK************20240105~TRN*1*CHK1*1999999999~N1*PR*ACME HEALTH~';

describe('remittanceOf835: adjustments no reader may leave out', () => {
  it('refuses a CAS holding a seventh adjustment (CAS20 on), naming the element, rather than read six and drop its amount', () => {
    const error = x12ErrorOf(() =>
      remittanceOfText(
        `${PAYMENT_HEADER}CLP*C-1*1*200*73**12*PCN1~` + 'CAS*CO*45*100*1*253*5**94*5**A2*5**42*5**131*5**B1*7~',
      ),
    );
    expect(error.code).toBe('X12_SEGMENT_INVALID');
    expect(error.location).toEqual({ segmentNumber: 5, elementPosition: 20 });
    expect(error.message).toMatch(/^CAS20 is past CAS19: a CAS holds six adjustments at most/);
  });

  it('reads six triplets followed by empty elements as the six, and a triplet left blank between two as nothing', () => {
    const remittance = remittanceOfText(
      `${PAYMENT_HEADER}CLP*C-1*1*200*78**12*PCN1~CAS*CO*45*100*****94*5**A2*5**42*5**131*7****~`,
    );
    expect(remittance.claims[0]?.adjudication.adjustments?.map((adjustment) => adjustment.amountCents)).toEqual([
      10000, 500, 500, 500, 700,
    ]);
  });

  it.each([
    ['an amount', 'CAS*CO*45*100***27~', 5],
    ['a quantity', 'CAS*PR*1*127****2~', 5],
  ])('refuses a CAS triplet with %s and no reason code, which no total could count', (_what, cas, position) => {
    const error = x12ErrorOf(() => remittanceOfText(`${PAYMENT_HEADER}CLP*C-1*1*200*73**12*PCN1~${cas}`));
    expect(error.code).toBe('X12_SEGMENT_INVALID');
    expect(error.location).toEqual({ segmentNumber: 5, elementPosition: position });
    expect(error.message).toMatch(/^CAS05 \(reason code\) is blank beside an amount/);
  });

  it('refuses a PLB holding a seventh pair (PLB15 on) and a PLB amount without its reason code', () => {
    const claim = 'CLP*C-1*1*200*73**12*PCN1~CAS*CO*45*127~';
    const seventh = x12ErrorOf(() =>
      remittanceOfText(
        `${PAYMENT_HEADER}${claim}PLB*1999999999*20241231*L6*-1*L6*-1*L6*-1*L6*-1*L6*-1*WO:ABC*5*FB:X*-5~`,
      ),
    );
    expect([seventh.code, seventh.location]).toEqual([
      'X12_SEGMENT_INVALID',
      { segmentNumber: 6, elementPosition: 15 },
    ]);
    const blank = x12ErrorOf(() =>
      remittanceOfText(`${PAYMENT_HEADER}${claim}PLB*1999999999*20241231*WO:ABC*10**-10~`),
    );
    expect([blank.code, blank.location]).toEqual(['X12_SEGMENT_INVALID', { segmentNumber: 6, elementPosition: 5 }]);
  });

  it('reads a composite PLB reason (WO:reference, L6:reference) in any case as the code list spells it, signs kept', () => {
    const remittance = remittanceOfText(
      'BPR*I*70.50*C*CHK************20240105~TRN*1*CHK1*1999999999~N1*PR*ACME HEALTH~' +
        'CLP*C-1*1*200*80**12*PCN1~CAS*CO*45*120~PLB*1999999999*20241231*wo:CLAIM-9*12*L6:INT-1*-2.5~',
    );
    expect(
      remittance.providerAdjustments.map((adjustment) => [
        adjustment.reasonCode,
        adjustment.reference,
        adjustment.amountCents,
      ]),
    ).toEqual([
      ['WO', 'CLAIM-9', 1200],
      ['L6', 'INT-1', -250],
    ]);
    // 80.00 − (12.00 − 2.50) = 70.50.
    expect(remittance.dataQuality).toEqual([]);
  });
});

describe('remittanceOf835: claim and service-line balancing (005010X221A1 1.10.2)', () => {
  /** Claims and lines out of balance, computed from the raw segments: CLP03 − Σ CAS vs CLP04, SVC02 − Σ line CAS vs SVC03. */
  function unbalancedOfText(text: string): Array<[string, string]> {
    const found: Array<[string, string]> = [];
    let claim: { charge: number; paid: number; adjusted: number } | null = null;
    let line: { charge: number; paid: number; adjusted: number } | null = null;
    const closeLine = () => {
      if (line && line.charge - line.adjusted !== line.paid) found.push(['SERVICE_LINE_UNBALANCED', 'SVC03']);
      line = null;
    };
    const closeClaim = () => {
      closeLine();
      if (claim && claim.charge - claim.adjusted !== claim.paid) found.push(['CLAIM_UNBALANCED', 'CLP04']);
      claim = null;
    };
    for (const segment of text.split('~').map((raw) => raw.trim().split('*'))) {
      const [tag] = segment;
      if (tag === 'CLP' || tag === 'PLB' || tag === 'SE') closeClaim();
      if (tag === 'CLP') claim = { charge: centsOf(segment[3]), paid: centsOf(segment[4]), adjusted: 0 };
      if (tag === 'SVC') {
        closeLine();
        line = { charge: centsOf(segment[2]), paid: centsOf(segment[3]), adjusted: 0 };
      }
      if (tag === 'CAS' && claim) {
        for (let position = 3; position < segment.length; position += 3) {
          const cents = segment[position - 1] ? centsOf(segment[position]) : 0;
          claim.adjusted += cents;
          if (line) (line as { adjusted: number }).adjusted += cents;
        }
      }
    }
    // Lines' findings come before their claim's, claim by claim, as the mapper lists them.
    return found;
  }

  it.each(SAMPLES_835.map((path) => [path.split('/').slice(-1)[0], path]))(
    '%s: a finding for each claim and line that does not balance, as computed from the raw segments',
    async (_name, path) => {
      const text = readFileSync(path!, 'utf8');
      const remittance = await remittanceOfFile(path!);
      expect(
        remittance.dataQuality
          .filter((finding) => /^(CLAIM|SERVICE_LINE)_UNBALANCED$/.test(finding.code))
          .map((finding) => [finding.code, finding.field]),
      ).toEqual(unbalancedOfText(text));
    },
  );

  it("flags the tertiary sample's one line, whose SVC02 (24,599.00) less its OA-23 is not its SVC03, and keeps its figures", async () => {
    const remittance = await remittanceOfFile(
      join(X12_SAMPLES, 'linuxforhealth', '835_005010X221A1', 'tertiary-payment.835'),
    );
    expect(remittance.dataQuality).toEqual([
      {
        code: 'SERVICE_LINE_UNBALANCED',
        field: 'SVC03',
        message:
          "SVC03 (segment 20) is 1766.50, but SVC02 (24599.00) less the line's CAS adjustments (1579.00) comes to 23020.00",
      },
    ]);
    expect(remittance.claims[0]?.lines[0]).toMatchObject({ chargeAmountCents: 2459900, paymentAmountCents: 176650 });
  });

  it('balances claim-level and line-level CAS together, negative amounts and a payment above the charge included', () => {
    const remittance = remittanceOfText(
      'BPR*I*160*C*CHK************20240105~TRN*1*CHK1*1999999999~N1*PR*ACME HEALTH~' +
        // 200 − (20 + 30) − (70 + 20) = 60: claim-level CO-45 and PR-1, line-level CO-97 and PR-2.
        'CLP*C-1*1*200*60*50*12*PCN1~CAS*CO*45*20~CAS*PR*1*30~SVC*HC:99213:25:59*200*110~CAS*CO*97*70~CAS*PR*2*20~' +
        // 50 − (−30) = 80: a negative adjustment pays above the charge.
        'CLP*C-2*1*50*80**12*PCN2~SVC*HC:99213*50*80~CAS*CO*45*-30~' +
        // A reversal negates every amount, and balances as the original did.
        'CLP*C-3*22*-200*-80*-60*12*PCN3~CAS*CO*45*-60~CAS*PR*1*-60~' +
        'CLP*C-3*1*200*100*60*12*PCN3~CAS*CO*45*40~CAS*PR*1*60~',
    );
    expect(remittance.dataQuality).toEqual([]);
    expect(remittance.claims[0]?.lines[0]?.procedureModifiers).toEqual(['25', '59']);
  });

  it('reports a claim and a line that do not balance by segment number and amounts, never the claim id', () => {
    const remittance = remittanceOfText(
      'BPR*I*80*C*CHK************20240105~TRN*1*CHK1*1999999999~N1*PR*ACME HEALTH~' +
        'CLP*PATIENT-ACCT-77*1*200*80**12*PCN1~SVC*HC:99213*200*80~CAS*CO*45*100~',
    );
    expect(remittance.dataQuality).toEqual([
      {
        code: 'SERVICE_LINE_UNBALANCED',
        field: 'SVC03',
        message:
          "SVC03 (segment 5) is 80.00, but SVC02 (200.00) less the line's CAS adjustments (100.00) comes to 100.00",
      },
      {
        code: 'CLAIM_UNBALANCED',
        field: 'CLP04',
        message:
          'CLP04 (segment 4) is 80.00, but CLP03 (200.00) less the CAS adjustments of the claim and its lines (100.00) comes to 100.00',
      },
    ]);
    expect(JSON.stringify(remittance.dataQuality)).not.toContain('PATIENT-ACCT-77');
    expect(remittance.claims[0]?.adjudication.paidAmountCents).toBe(8000);
  });
});

describe('remittanceOf835: claim type from the service lines', () => {
  it('reads the tertiary sample as professional: its SVC04 is an amount (187.50), not a revenue code', async () => {
    const remittance = await remittanceOfFile(
      join(X12_SAMPLES, 'linuxforhealth', '835_005010X221A1', 'tertiary-payment.835'),
    );
    expect(remittance.claims.map((claim) => [claim.claimType, claim.lines.map((line) => line.revenueCode)])).toEqual([
      ['professional', [null]],
    ]);
  });

  it.each([
    ['SVC*HC:99213*200*80*0450~', 'institutional_outpatient', '0450'],
    ['SVC*HC:99213*200*80*450~', 'institutional_outpatient', '450'],
    ['SVC*NU:0300*200*80~', 'institutional_outpatient', '0300'],
    ['SVC*HC:99213*200*80*80.00~', 'professional', null],
    ['SVC*HC:99213*200*80*RC450~', 'professional', null],
  ])('%s makes a %s claim with revenue code %s', (svc, claimType, revenueCode) => {
    const remittance = remittanceOfText(`${PAYMENT_HEADER}CLP*C-1*1*200*80**12*PCN1~${svc}CAS*CO*45*120~`);
    expect([remittance.claims[0]?.claimType, remittance.claims[0]?.lines[0]?.revenueCode]).toEqual([
      claimType,
      revenueCode,
    ]);
  });
});

describe('remittanceOf835: the procedure a service line names (SVC01)', () => {
  it('reads an SVC01 of qualifier N4 as the line’s NDC, never as its HCPCS code, and an HC composite with its modifiers', () => {
    const remittance = remittanceOfText(
      `${PAYMENT_HEADER}CLP*C-1*1*200*73**12*PCN1~` +
        'SVC*N4:00409123401*120*40**2~CAS*CO*45*80~SVC*HC:99213:25:GT*80*33**1~CAS*CO*45*47~',
    );
    expect(
      remittance.claims[0]?.lines.map((line) => [line.hcpcsCode, line.ndcCode ?? null, line.procedureModifiers]),
    ).toEqual([
      [null, '00409123401', []],
      ['99213', null, ['25', 'GT']],
    ]);
  });
});
