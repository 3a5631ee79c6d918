import { readFileSync } from 'node:fs';
import type { ClaimEvent } from '@claims/contracts';
import { claimsOf837 } from './claim-837';
import { normalizeX12Record } from './normalize-x12-record';
import { elementOf } from './x12-values';
import type { X12Segment } from './x12-segments';
import {
  Professional837Writer,
  X12WriteError,
  professional837Chunks,
  type Professional837Claim,
  type Professional837InterchangeOptions,
  type X12Address,
} from './write-837p';
import { rawEventOf, samplePaths, transactionSetsOfFile, transactionSetsOfText } from './__tests__/x12-samples';

const patientTokenKey = 'unit-test-key-0123456789';
const SAMPLE_ADDRESS: X12Address = { line: '1 MAIN ST', city: 'MIAMI', stateCode: 'FL', postalCode: '331110000' };

const interchange: Professional837InterchangeOptions = {
  senderId: 'SUBMITTER01',
  receiverId: 'RECEIVER01',
  interchangeControlNumber: 42,
  createdAt: '2024-03-01T09:30',
  submitter: { name: 'PREMIER BILLING SERVICE', id: 'TGJ23', contactName: 'JERRY', phone: '3055552222' },
  receiver: { name: 'KEY INSURANCE COMPANY', id: '66783JJT' },
};

/**
 * What the reader does not keep (it tokenises the member and drops names and
 * addresses), read back from a sample's raw segments claim by claim, so the
 * sample can be written again with the same parties.
 */
type RawParties = Pick<
  Professional837Claim,
  | 'billingProvider'
  | 'subscriber'
  | 'patient'
  | 'payer'
  | 'facility'
  | 'placeOfServiceCode'
  | 'frequencyCode'
  | 'primaryPayer'
>;

/** What a claim's 2320 (SBR01 P), 2330A and 2330B say of the primary payer, and its first 2430 DTP*573. */
interface RawPrimaryPayer {
  relationshipCode: string;
  claimFilingIndicator: string;
  subscriber: { memberId: string; lastName: string; firstName: string | null } | null;
  name: string;
  id: string;
  paidDate: string | null;
}

function rawPartiesOf(segments: readonly X12Segment[]): RawParties[] {
  const parties: RawParties[] = [];
  let billing: Professional837Claim['billingProvider'] | null = null;
  let subscriber: Professional837Claim['subscriber'] | null = null;
  let patient: Professional837Claim['patient'] = null;
  let payer: Professional837Claim['payer'] | null = null;
  let inClaim = false;
  let last: 'billing' | 'subscriber' | 'patient' | 'facility' | null = null;
  let facility: Professional837Claim['facility'] = null;
  let placeOfService = '';
  let frequency = '';
  /** The 2320 being read (null outside one or when it is not the primary's), and the primary's once read. */
  let otherPayer: RawPrimaryPayer | null = null;
  let primary: RawPrimaryPayer | null = null;
  let inLine = false;
  const flush = (): void => {
    if (!inClaim || !billing || !subscriber || !payer) return;
    const primaryPayer =
      primary?.subscriber && primary.paidDate
        ? {
            name: primary.name,
            id: primary.id,
            relationshipCode: primary.relationshipCode,
            claimFilingIndicator: primary.claimFilingIndicator,
            subscriber: primary.subscriber,
            paidDate: primary.paidDate,
          }
        : null;
    parties.push({
      billingProvider: billing,
      subscriber,
      patient,
      payer,
      facility,
      placeOfServiceCode: placeOfService,
      frequencyCode: frequency,
      primaryPayer,
    });
    inClaim = false;
  };
  for (const segment of segments) {
    const tag = segment.tag;
    const at = (position: number): string => elementOf(segment, position);
    if (tag === 'HL' || tag === 'SE') {
      flush();
      if (at(3) === '22') patient = null;
      continue;
    }
    if (tag === 'CLM') {
      flush();
      inClaim = true;
      facility = null;
      otherPayer = null;
      primary = null;
      inLine = false;
      const [facilityCode = '', , frequencyCode = ''] = at(5).split(segment.separators.component);
      placeOfService = facilityCode;
      frequency = frequencyCode;
      continue;
    }
    if (inClaim && tag === 'SBR') {
      otherPayer = null;
      if (at(1) === 'P') {
        otherPayer = {
          relationshipCode: at(2),
          claimFilingIndicator: at(9),
          subscriber: null,
          name: '',
          id: '',
          paidDate: null,
        };
        primary = otherPayer;
      }
      continue;
    }
    if (inClaim && tag === 'LX') {
      otherPayer = null;
      inLine = true;
      continue;
    }
    if (inLine && tag === 'DTP' && at(1) === '573' && primary && primary.paidDate === null) {
      primary.paidDate = `${at(3).slice(0, 4)}-${at(3).slice(4, 6)}-${at(3).slice(6, 8)}`;
      continue;
    }
    if (tag === 'NM1' && otherPayer) {
      if (at(1) === 'IL') otherPayer.subscriber = { memberId: at(9), lastName: at(3), firstName: at(4) || null };
      else if (at(1) === 'PR') Object.assign(otherPayer, { name: at(3), id: at(9) });
      continue;
    }
    if (tag === 'NM1') {
      last = null;
      const entity = at(1);
      if (!inClaim && entity === '85') {
        const person = at(2) === '1';
        billing = { npi: at(9), taxId: '', lastName: at(3), firstName: person ? at(4) : null, address: SAMPLE_ADDRESS };
        last = 'billing';
      } else if (!inClaim && entity === 'IL') {
        subscriber = {
          memberId: at(9),
          lastName: at(3),
          firstName: at(4) || null,
          birthDate: null,
          gender: null,
          address: null,
        };
        last = 'subscriber';
      } else if (!inClaim && entity === 'PR') payer = { name: at(3), id: at(9) };
      else if (!inClaim && entity === 'QC') {
        patient = {
          relationshipCode: '19',
          lastName: at(3),
          firstName: at(4) || null,
          birthDate: '',
          gender: 'U',
          address: SAMPLE_ADDRESS,
        };
        last = 'patient';
      } else if (inClaim && entity === '77' && facility === null) {
        facility = { npi: at(9) || null, name: at(3), address: SAMPLE_ADDRESS };
      }
      continue;
    }
    if (tag === 'REF' && at(1) === 'EI' && billing && billing.taxId === '') billing.taxId = at(2);
    if (tag === 'DMG' && last === 'patient' && patient) {
      patient.birthDate = `${at(2).slice(0, 4)}-${at(2).slice(4, 6)}-${at(2).slice(6, 8)}`;
      const gender = at(3);
      patient.gender = gender === 'F' || gender === 'M' ? gender : 'U';
    }
  }
  flush();
  return parties;
}

/** The sample's claims as the writer takes them: the reader's claim plus the raw parties. */
function writableClaimsOf(segments: readonly X12Segment[]): Professional837Claim[] {
  const claims = claimsOf837(segments, { kind: 'professional', patientTokenKey });
  const parties = rawPartiesOf(segments);
  expect(parties).toHaveLength(claims.length);
  return claims.map((claim, index) => {
    const raw = parties[index]!;
    // CLM05 as the reader read it, by the separator its composites use (some samples use one ISA16 does not declare).
    return {
      ...claim,
      ...raw,
      placeOfServiceCode: claim.placeOfServiceCode ?? raw.placeOfServiceCode,
      frequencyCode: claim.frequencyCode ?? raw.frequencyCode,
    };
  });
}

async function textOf(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

/**
 * The events a text's 837 transaction sets normalize to, without what depends
 * on the envelope rather than the claim: event ids and lineage (the bytes),
 * and where and when it was sent (sender, control numbers, submission date),
 * save its frequency code, which is the claim's own.
 */
async function claimEventsOf(
  text: string,
): Promise<Array<Pick<ClaimEvent, 'claimId' | 'eventType' | 'occurredAt' | 'claim'>>> {
  const sets = await transactionSetsOfText(text);
  return sets
    .flatMap((set) => normalizeX12Record(rawEventOf(set), { patientTokenKey }))
    .map(({ claimId, eventType, occurredAt, claim }) => {
      const { submission, ...content } = claim as ClaimEvent['claim'] & { submission?: { frequencyCode?: unknown } };
      return {
        claimId,
        eventType,
        occurredAt,
        claim: { ...content, frequencyCode: submission?.frequencyCode ?? null },
      };
    });
}

function claimOf(id: string, overrides: Partial<Professional837Claim> = {}): Professional837Claim {
  return {
    claimId: id,
    billedAmountCents: 12_550,
    serviceFromDate: '2024-02-01',
    serviceThroughDate: '2024-02-03',
    admissionDate: null,
    diagnoses: [
      { code: 'E119', system: 'ICD-10-CM' },
      { code: 'I10', system: 'ICD-10-CM' },
    ],
    renderingProvider: { npi: '1234567893', firstName: 'ANN', lastName: 'LEE' },
    placeOfServiceCode: '11',
    billingProvider: {
      npi: '1912301953',
      taxId: '587654321',
      lastName: 'BEN KILDARE SERVICE',
      firstName: null,
      address: SAMPLE_ADDRESS,
    },
    subscriber: {
      memberId: 'MBR0001',
      lastName: 'SMITH',
      firstName: 'JANE',
      birthDate: '1960-05-01',
      gender: 'F',
      address: SAMPLE_ADDRESS,
    },
    patient: null,
    payer: { name: 'KEY INSURANCE COMPANY', id: '999996666' },
    facility: null,
    lines: [
      {
        hcpcsCode: '99213',
        procedureModifiers: ['25'],
        chargeAmountCents: 10_000,
        serviceUnitCount: 1,
        placeOfServiceCode: '11',
        serviceDate: '2024-02-01',
        diagnosisCode: 'E119',
        renderingNpi: '1234567893',
      },
      {
        hcpcsCode: '36415',
        procedureModifiers: [],
        chargeAmountCents: 2_550,
        serviceUnitCount: 2,
        placeOfServiceCode: '11',
        serviceDate: '2024-02-03',
        diagnosisCode: 'I10',
        renderingNpi: '1234567893',
      },
    ],
    ...overrides,
  };
}

describe('professional837Chunks', () => {
  it.each(samplePaths('linuxforhealth', '837_005010X222A2').map((path) => [path.split('/').pop(), path]))(
    'writes the claims of %s so that reading them back gives the same submitted events',
    async (_name, path) => {
      const sets = await transactionSetsOfFile(path!);
      const original = await claimEventsOf(readFileSync(path!, 'utf8'));
      const claims = sets.flatMap((set) => writableClaimsOf(set.segments));
      const written = await textOf(professional837Chunks(claims, interchange));
      const reread = await claimEventsOf(written);
      expect(original.length).toBeGreaterThan(0);
      expect(reread).toEqual(original);
    },
  );

  it('keeps a dependent patient apart from the subscriber, as the original claims did, through a round trip', async () => {
    const claims = [
      claimOf('A1'),
      claimOf('A2', {
        patient: {
          relationshipCode: '19',
          lastName: 'SMITH',
          firstName: 'TED',
          birthDate: '2010-01-02',
          gender: 'M',
          address: SAMPLE_ADDRESS,
        },
      }),
    ];
    const [subscriberClaim, dependentClaim] = await claimEventsOf(
      await textOf(professional837Chunks(claims, interchange)),
    );
    expect(subscriberClaim?.claim.patientToken).not.toBe(dependentClaim?.claim.patientToken);
    expect(dependentClaim?.claim.lines.map((line) => line.serviceDate)).toEqual(['2024-02-01', '2024-02-03']);
  });

  it('gives a line rendered by another provider that NPI (2420A) and its neighbours the claim rendering NPI', async () => {
    const base = claimOf('R1');
    const [first, second] = base.lines;
    const claim = claimOf('R1', { lines: [first!, { ...second!, renderingNpi: '1588667638' }] });
    const [event] = await claimEventsOf(await textOf(professional837Chunks([claim], interchange)));
    expect(event?.claim.lines.map((line) => line.renderingNpi)).toEqual(['1234567893', '1588667638']);
  });

  it("dates a line without a date of service with the claim's span, which reads back as the claim's dates", async () => {
    const base = claimOf('D1');
    const claim = claimOf('D1', { lines: base.lines.map((line) => ({ ...line, serviceDate: null })) });
    const text = await textOf(professional837Chunks([claim], interchange));
    expect(text).toContain('DTP*472*RD8*20240201-20240203~');
    const [event] = await claimEventsOf(text);
    expect([event?.claim.serviceFromDate, event?.claim.serviceThroughDate]).toEqual(['2024-02-01', '2024-02-03']);
    expect(event?.claim.lines.map((line) => line.serviceDate)).toEqual(['2024-02-01', '2024-02-01']);
  });

  it('numbers transaction sets, counts segments and sets, and nests every claim under its provider and member', async () => {
    const claims = [
      claimOf('C1'),
      claimOf('C2'),
      claimOf('C3', { subscriber: { ...claimOf('x').subscriber, memberId: 'MBR0002' } }),
      claimOf('C4', { billingProvider: { ...claimOf('x').billingProvider, npi: '1234567893' } }),
      claimOf('C5'),
    ];
    const text = await textOf(professional837Chunks(claims, { ...interchange, claimsPerTransactionSet: 2 }));
    const sets = await transactionSetsOfText(text);
    expect(sets.map((set) => set.controlNumber)).toEqual(['0001', '0002', '0003']);
    expect(sets.map((set) => set.envelope.interchangeControlNumber)).toEqual(['000000042', '000000042', '000000042']);
    const segments = text.split('~\n').filter(Boolean);
    expect(segments.filter((segment) => segment.startsWith('GE*'))).toEqual(['GE*3*42']);
    expect(segments.filter((segment) => segment.startsWith('IEA*'))).toEqual(['IEA*1*000000042']);
    // The first set: one provider, one member holding two claims; the second: two members, then a new provider.
    const levels = (index: number) =>
      sets[index]!.segments.filter((segment) => segment.tag === 'HL').map((segment) =>
        segment.elements.slice(1).join('/'),
      );
    expect(levels(0)).toEqual(['1//20/1', '2/1/22/0']);
    expect(levels(1)).toEqual(['1//20/1', '2/1/22/0', '3//20/1', '4/3/22/0']);
    expect((await claimEventsOf(text)).map((event) => event.claimId)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5']);
  });

  it('writes a valid ISA of 106 characters whose separators the tokenizer reads back', async () => {
    const text = await textOf(professional837Chunks([claimOf('C1')], interchange));
    const isa = text.slice(0, text.indexOf('~') + 1);
    expect(isa).toHaveLength(106);
    const [set] = await transactionSetsOfText(text);
    expect(set?.envelope.separators).toEqual({ element: '*', repetition: '^', component: ':', segment: '~' });
    expect(set?.implementationReference).toBe('005010X222A1');
  });

  it('yields the interchange in chunks, never as one string, for a stream of many claims', async () => {
    async function* many(): AsyncGenerator<Professional837Claim> {
      for (let index = 0; index < 1_000; index += 1) yield claimOf(`K${index}`);
    }
    const sizes: number[] = [];
    for await (const chunk of professional837Chunks(many(), { ...interchange, claimsPerChunk: 50 }))
      sizes.push(chunk.length);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    expect(sizes.length).toBeGreaterThan(20);
    expect(Math.max(...sizes)).toBeLessThan(total / 10);
  });

  it('refuses a value holding a delimiter, since X12 has no escape for it', async () => {
    const claim = claimOf('C1', { payer: { name: 'A*B PLAN', id: '1' } });
    await expect(textOf(professional837Chunks([claim], interchange))).rejects.toMatchObject({
      code: 'X12_VALUE_UNWRITABLE',
    });
  });

  it('refuses an interchange sender id longer than the 15 characters ISA06 holds, rather than cutting it', () => {
    expect(() => new Professional837Writer({ ...interchange, senderId: 'A-SUBMITTER-ID-16' }).start()).toThrow(
      expect.objectContaining({ code: 'X12_VALUE_UNWRITABLE' }),
    );
  });

  const primaryPayer: NonNullable<Professional837Claim['primaryPayer']> = {
    name: 'FIRST HEALTH PLAN',
    id: 'FHP01',
    relationshipCode: '18',
    claimFilingIndicator: 'CI',
    subscriber: { memberId: 'FHP-MBR-77', lastName: 'SMITH', firstName: 'JANE' },
    paidDate: '2024-02-20',
  };
  const secondaryClaimOf = (id: string, paidCents: readonly number[]): Professional837Claim => {
    const base = claimOf(id);
    return claimOf(id, {
      primaryPayer,
      lines: base.lines.map((line, index) => ({ ...line, primaryPayerPaidAmountCents: paidCents[index] ?? 0 })),
    });
  };

  it("writes what the primary paid (2320 AMT*D, 2330A, 2330B, a 2430 SVD per line) so it reads back as each line's primary payment", async () => {
    const claim = secondaryClaimOf('COB1', [7_000, 0]);
    const text = await textOf(professional837Chunks([claim], interchange));
    const segments = text.split('~\n').filter(Boolean);
    const from = segments.findIndex((segment) => segment.startsWith('CLM*COB1'));
    const cob = segments.slice(from).filter((segment) => /^(SBR|AMT|OI|NM1\*(IL|PR)|LX|SVD|DTP\*573)\*/.test(segment));
    expect(cob).toEqual([
      'SBR*P*18*******CI',
      'AMT*D*70.00',
      'OI***Y***Y',
      'NM1*IL*1*SMITH*JANE****MI*FHP-MBR-77',
      'NM1*PR*2*FIRST HEALTH PLAN*****PI*FHP01',
      'LX*1',
      'SVD*FHP01*70.00*HC:99213:25**1',
      'DTP*573*D8*20240220',
      'LX*2',
      'SVD*FHP01*0.00*HC:36415**2',
      'DTP*573*D8*20240220',
    ]);
    const [event] = await claimEventsOf(text);
    expect(event?.claim.lines.map((line) => line.primaryPayerPaidAmountCents)).toEqual([7_000, 0]);
  });

  it("sends a claim with a primary payer as the secondary's (2000B SBR01 S), in its own 2000B beside the member's primary claims", async () => {
    const text = await textOf(
      professional837Chunks([claimOf('P1'), secondaryClaimOf('S1', [5_000, 1_000]), claimOf('P2')], interchange),
    );
    const [set] = await transactionSetsOfText(text);
    const subscriberLevels = set!.segments.flatMap((segment, index, all) =>
      segment.tag === 'HL' && elementOf(segment, 3) === '22' ? [elementOf(all[index + 1]!, 1)] : [],
    );
    expect(subscriberLevels).toEqual(['P', 'S', 'P']);
    const events = await claimEventsOf(text);
    expect(events.map((event) => event.claim.lines.map((line) => line.primaryPayerPaidAmountCents))).toEqual([
      [0, 0],
      [5_000, 1_000],
      [0, 0],
    ]);
  });

  it('refuses a line the primary paid for when the claim names no primary payer, as its SVD01 would name nobody', () => {
    const base = claimOf('C1');
    const claim = claimOf('C1', { lines: base.lines.map((line) => ({ ...line, primaryPayerPaidAmountCents: 500 })) });
    const writer = new Professional837Writer(interchange);
    writer.start();
    expect(() => writer.claims([claim])).toThrow(expect.objectContaining({ code: 'X12_CLAIM_UNWRITABLE' }));
  });

  it('refuses a claim without service lines, as the 837P requires one', () => {
    const writer = new Professional837Writer(interchange);
    writer.start();
    expect(() => writer.claims([claimOf('C1', { lines: [] })])).toThrow(X12WriteError);
  });
});
