import {
  ClaimEventSchema,
  DeadLetterSchema,
  EnrichedClaimEventSchema,
  MemberReferenceEventSchema,
  RawClaimRecordSchema,
  lineageRowNumbers,
  lineageSchemaVersion,
  type ClaimEvent,
  type MemberReferenceEvent,
} from './claim-events';
import { derivedEventId, sha256Hex } from './event-id';
import {
  FIXTURE_RAW_EVENT_ID,
  FIXTURE_RECORD,
  fixtureClaimEvent,
  fixtureEnrichedClaimEvent,
} from './__fixtures__/claim-event';

const issuePaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] =>
  (result.error?.issues ?? []).map((issue) => issue.path.map(String).join('.'));

describe('ClaimEventSchema', () => {
  it('accepts a normalized claim event', () => {
    const event = fixtureClaimEvent();
    const result = ClaimEventSchema.safeParse(event);
    expect(result.success).toBe(true);
    expect(result.data).toEqual(event);
  });

  it('rejects an event missing claimId, naming that field', () => {
    const event: Partial<ClaimEvent> = fixtureClaimEvent();
    delete event.claimId;
    const result = ClaimEventSchema.safeParse(event);
    expect(result.success).toBe(false);
    expect(issuePaths(result)).toEqual(['claimId']);
  });

  it('rejects an empty claimId', () => {
    const result = ClaimEventSchema.safeParse({ ...fixtureClaimEvent(), claimId: '' });
    expect(issuePaths(result)).toEqual(['claimId']);
  });

  it('rejects an event time that is not a YYYY-MM-DD date', () => {
    const result = ClaimEventSchema.safeParse({ ...fixtureClaimEvent(), occurredAt: '2008-08-08T00:00:00Z' });
    expect(issuePaths(result)).toEqual(['occurredAt']);
  });

  it('rejects a line amount in fractional cents (money travels as integer cents)', () => {
    const event = fixtureClaimEvent();
    const [line] = event.claim.lines;
    if (!line) throw new Error('fixture has a line');
    const result = ClaimEventSchema.safeParse({
      ...event,
      claim: { ...event.claim, lines: [{ ...line, paymentAmountCents: 90.5 }] },
    });
    expect(issuePaths(result)).toEqual(['claim.lines.0.paymentAmountCents']);
  });

  it('rejects an unknown processing category', () => {
    const event = fixtureClaimEvent();
    const [line] = event.claim.lines;
    if (!line) throw new Error('fixture has a line');
    const result = ClaimEventSchema.safeParse({
      ...event,
      claim: { ...event.claim, lines: [{ ...line, processingCategory: 'denied' }] },
    });
    expect(issuePaths(result)).toEqual(['claim.lines.0.processingCategory']);
  });

  it('decodes a version 1 event unchanged: every field added in version 2 is optional', () => {
    const v1 = fixtureClaimEvent();
    expect(v1.schemaVersion).toBe(1);
    expect(ClaimEventSchema.parse(JSON.parse(JSON.stringify(v1)))).toEqual(v1);
  });

  it('accepts a version 2 event carrying institutional, pend and adjudication fields', () => {
    const event = fixtureClaimEvent();
    const [line] = event.claim.lines;
    if (!line) throw new Error('fixture has a line');
    const v2 = {
      ...event,
      schemaVersion: 2,
      layout: 'rif.inpatient',
      lineage: { ...event.lineage, recordCount: 3 },
      claim: {
        ...event.claim,
        claimType: 'institutional_inpatient',
        billType: '111',
        drgCode: '291',
        facilityCcn: '220135',
        attendingNpi: '1245319599',
        admissionDate: '2008-08-03',
        dischargeDate: '2008-08-08',
        receivedDate: '2008-08-10',
        clearDate: null,
        procedures: [{ code: '3521', system: 'ICD-9-CM' }],
        billedAmountCents: 2_500_000,
        adjudication: { sourceStatus: 'paid', status: 'paid', paidAmountCents: 9000, paidDate: null },
        pend: { reason: 'NPI_NOT_FOUND', queue: 'Provider Data', comments: 'free text' },
        drug: null,
        lines: [{ ...line, revenueCode: '0450', chargeAmountCents: 12000, serviceUnitCount: 1.5, ndcCode: null }],
      },
    };
    expect(ClaimEventSchema.safeParse(v2).success).toBe(true);
  });

  it.each(['snf', 'hha', 'hospice', 'pharmacy'])('accepts the %s claim type', (claimType) => {
    const event = fixtureClaimEvent();
    expect(ClaimEventSchema.safeParse({ ...event, claim: { ...event.claim, claimType } }).success).toBe(true);
  });

  it('rejects schema version 4, naming the field', () => {
    expect(issuePaths(ClaimEventSchema.safeParse({ ...fixtureClaimEvent(), schemaVersion: 4 }))).toEqual([
      'schemaVersion',
    ]);
  });

  it("accepts a version 3 event whose lineage lists a claim's rows that sit apart", () => {
    const event = fixtureClaimEvent();
    const lineage = { ...event.lineage, recordNumber: 11, recordCount: 2, recordNumbers: [11, 35] };
    expect(ClaimEventSchema.safeParse({ ...event, schemaVersion: 3, lineage }).success).toBe(true);
  });

  it.each([
    ['not starting at recordNumber', { recordNumber: 12, recordCount: 2, recordNumbers: [11, 35] }],
    ['not as many as recordCount', { recordNumber: 11, recordCount: 3, recordNumbers: [11, 35] }],
    ['not ascending', { recordNumber: 11, recordCount: 3, recordNumbers: [11, 35, 20] }],
  ])('rejects lineage rows %s, naming the field', (_, rows) => {
    const event = fixtureClaimEvent();
    const result = ClaimEventSchema.safeParse({ ...event, schemaVersion: 3, lineage: { ...event.lineage, ...rows } });
    expect(issuePaths(result)).toEqual(['lineage.recordNumbers']);
  });

  it('rejects a lineage record count of zero', () => {
    const event = fixtureClaimEvent();
    const result = ClaimEventSchema.safeParse({ ...event, lineage: { ...event.lineage, recordCount: 0 } });
    expect(issuePaths(result)).toEqual(['lineage.recordCount']);
  });

  it('rejects a lineage file id that is not a 64-character hex digest', () => {
    const event = fixtureClaimEvent();
    const result = ClaimEventSchema.safeParse({ ...event, lineage: { ...event.lineage, fileId: 'ABC' } });
    expect(issuePaths(result)).toEqual(['lineage.fileId']);
  });
});

describe('EnrichedClaimEventSchema', () => {
  it('accepts an enriched claim event', () => {
    expect(EnrichedClaimEventSchema.safeParse(fixtureEnrichedClaimEvent()).success).toBe(true);
  });

  it('rejects a plain normalized event, which lacks normalizedEventId and enrichment', () => {
    const result = EnrichedClaimEventSchema.safeParse(fixtureClaimEvent());
    expect(issuePaths(result).sort()).toEqual(['enrichment', 'normalizedEventId']);
  });
});

describe('RawClaimRecordSchema', () => {
  const raw = {
    schemaVersion: 1,
    eventId: FIXTURE_RAW_EVENT_ID,
    layout: 'desynpuf.carrier',
    claimId: null,
    lineage: fixtureClaimEvent().lineage,
    record: FIXTURE_RECORD,
    publishedAt: '2024-01-02T03:04:05.000Z',
  };

  it('accepts a raw record whose claim id could not be read (null)', () => {
    expect(RawClaimRecordSchema.safeParse(raw).success).toBe(true);
  });

  it('accepts any layout name of the pattern: a new layout needs no change here', () => {
    expect(RawClaimRecordSchema.safeParse({ ...raw, layout: 'harbor.remittance-export' }).success).toBe(true);
  });

  it.each(['Billing Export', 'rif..carrier', '-acme', 'acme_', 'x'.repeat(65)])(
    'rejects the layout name %p, naming the field',
    (layout) => {
      expect(issuePaths(RawClaimRecordSchema.safeParse({ ...raw, layout }))).toEqual(['layout']);
    },
  );

  it('accepts a version 2 raw record carrying its file header and a multi-row lineage', () => {
    const lineage = { ...raw.lineage, recordCount: 2 };
    const v2 = { ...raw, schemaVersion: 2, layout: 'rif.carrier', header: 'DML_IND|CLM_ID', lineage };
    expect(RawClaimRecordSchema.safeParse(v2).success).toBe(true);
  });

  it('rejects schema version 4 on the v1 topic', () => {
    expect(issuePaths(RawClaimRecordSchema.safeParse({ ...raw, schemaVersion: 4 }))).toEqual(['schemaVersion']);
  });
});

describe('DeadLetterSchema', () => {
  const deadLetter = {
    schemaVersion: 1,
    stage: 'normalizer',
    errorCode: 'AMOUNT_INVALID',
    reason: 'LINE_NCH_PMT_AMT_1 is not a dollar amount',
    failedAt: '2024-01-02T03:04:05.000Z',
    origin: { topic: 'claims.raw.v1', partition: 0, offset: '42', key: '737473360654133' },
    originalValueBase64: Buffer.from('{}').toString('base64'),
    originalHeaders: { 'x-schema-version': '1' },
  };

  it('accepts a dead letter from a pipeline stage', () => {
    expect(DeadLetterSchema.safeParse(deadLetter).success).toBe(true);
  });

  it('rejects a dead letter from an unknown stage', () => {
    expect(issuePaths(DeadLetterSchema.safeParse({ ...deadLetter, stage: 'loader' }))).toEqual(['stage']);
  });
});

describe('MemberReferenceEventSchema', () => {
  const rawId = derivedEventId('claims.raw', 'member');
  const event: MemberReferenceEvent = {
    schemaVersion: 1,
    eventId: derivedEventId('reference.members', rawId),
    rawEventId: rawId,
    layout: 'desynpuf.beneficiary-summary',
    lineage: { source: 'beneficiary.csv', fileId: sha256Hex('file'), recordNumber: 1, recordSha256: sha256Hex('row') },
    publishedAt: '2024-01-02T03:04:05.000Z',
    member: {
      patientToken: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      referenceYear: 2008,
      birthDate: '1923-09-01',
      deathDate: null,
      sex: 'female',
      raceCode: '5',
      ssaStateCode: '10',
      ssaCountyCode: '260',
      coverageMonths: { partA: 12, partB: 12, hmo: 0, partD: 0 },
      chronicConditions: { heart_failure: true, diabetes: false },
      sourceOperation: null,
    },
    dataQuality: [],
  };

  it('accepts a member reference keyed by patient token', () => {
    expect(MemberReferenceEventSchema.safeParse(event).success).toBe(true);
  });

  it('rejects thirteen months of coverage in a year, naming the field', () => {
    const result = MemberReferenceEventSchema.safeParse({
      ...event,
      member: { ...event.member, coverageMonths: { ...event.member.coverageMonths, partA: 13 } },
    });
    expect(issuePaths(result)).toEqual(['member.coverageMonths.partA']);
  });
});

describe('lineageRowNumbers and lineageSchemaVersion', () => {
  const lineage = { source: 'x.csv', fileId: 'a'.repeat(64), recordNumber: 11, recordSha256: 'b'.repeat(64) };

  it('names one row for a one-row record, consecutive rows for a count, and the listed rows for rows apart', () => {
    expect(lineageRowNumbers(lineage)).toEqual([11]);
    expect(lineageRowNumbers({ ...lineage, recordCount: 3 })).toEqual([11, 12, 13]);
    expect(lineageRowNumbers({ ...lineage, recordCount: 2, recordNumbers: [11, 35] })).toEqual([11, 35]);
  });

  it('writes version 3 only for rows apart, and the version of the fields otherwise', () => {
    expect(lineageSchemaVersion(lineage, 1)).toBe(1);
    expect(lineageSchemaVersion({ ...lineage, recordCount: 3 }, 2)).toBe(2);
    expect(lineageSchemaVersion({ ...lineage, recordCount: 2, recordNumbers: [11, 35] }, 2)).toBe(3);
  });
});
