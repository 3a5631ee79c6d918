import {
  ClaimEventSchema,
  DeadLetterSchema,
  EnrichedClaimEventSchema,
  RawClaimRecordSchema,
  type ClaimEvent,
} from './claim-events';
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

  it('rejects a raw record of an unknown layout', () => {
    expect(issuePaths(RawClaimRecordSchema.safeParse({ ...raw, layout: 'x12.837p' }))).toEqual(['layout']);
  });

  it('rejects schema version 2 on the v1 topic', () => {
    expect(issuePaths(RawClaimRecordSchema.safeParse({ ...raw, schemaVersion: 2 }))).toEqual(['schemaVersion']);
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
