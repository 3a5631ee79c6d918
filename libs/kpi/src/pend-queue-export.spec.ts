import type { ClaimEvent, EnrichedClaimEvent } from '@claims/contracts';
import {
  EMPTY_ENRICHMENT_CODES,
  NO_DUPLICATES,
  ReferenceTables,
  decidePend,
  enrichClaim,
  loadShippedPendRuleSet,
} from '@claims/enrichment';
import {
  SourceRecordError,
  loadSourceLayouts,
  normalizeSourceRecord,
  rawRecordEvent,
  shippedFolder,
} from '@claims/source-layouts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimVersionOf, supersedes } from './claim-version';
import { pendEpisodeOf, type PendEpisode } from './pend-episode';

/**
 * The pended-queue export (data/pended/pended-queue-2024-03-15.csv, hand-written,
 * made up) read through its shipped mapping file (layouts/pended-queue-export.yaml)
 * and the shipped pend rules over an empty directory, into the episode each row
 * folds to: what the pended-queue figures count.
 */
const layouts = loadSourceLayouts();
const ruleSet = loadShippedPendRuleSet();
const [HEADER = '', ...FIXTURE_ROWS] = readFileSync(
  join(shippedFolder('data', 'pended'), 'pended-queue-2024-03-15.csv'),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '');
const COLUMNS = HEADER.split(',');

/** The normalized claim of one export row, or the SourceRecordError that dead-letters it. */
function normalizedRow(record: string, recordNumber = 1): ClaimEvent {
  const raw = rawRecordEvent({
    layout: layouts.detect(HEADER).name,
    record,
    recordNumber,
    source: 'pended-queue-2024-03-15.csv',
    fileId: 'e'.repeat(64),
    publishedAt: '2024-03-16T00:00:00.000Z',
    header: HEADER,
    claimId: null,
  });
  const normalized = normalizeSourceRecord(raw, { layouts, patientTokenKey: 'pend-queue-export-spec-key' });
  if (normalized.kind !== 'claim') throw new Error('not a claim');
  return normalized.event;
}

/** One export row as the enricher emits it: the row's own event, judged (an export row is one event). */
function enrichedRow(record: string): EnrichedClaimEvent {
  const event = normalizedRow(record);
  const tables = new ReferenceTables();
  const enrichment = enrichClaim(event, tables, EMPTY_ENRICHMENT_CODES);
  const pendDecision = decidePend(event, enrichment, tables, ruleSet, NO_DUPLICATES);
  return { ...event, normalizedEventId: event.eventId, enrichment, pendDecision };
}

function episodeOfRow(record: string): PendEpisode | null {
  const event = normalizedRow(record);
  const tables = new ReferenceTables();
  const enrichment = enrichClaim(event, tables, EMPTY_ENRICHMENT_CODES);
  const pendDecision = decidePend(event, enrichment, tables, ruleSet, NO_DUPLICATES);
  return pendEpisodeOf({ occurredAt: event.occurredAt, claim: event.claim, enrichment, pendDecision });
}

/** A copy of the fixture's first row (PQ-2024-000101, still waiting) with some columns rewritten; no cell quoted. */
function firstRowWith(values: Record<string, string>): string {
  const cells = (FIXTURE_ROWS[0] ?? '').split(',');
  for (const [column, value] of Object.entries(values)) cells[COLUMNS.indexOf(column)] = value;
  return cells.join(',');
}

describe('the pended-queue export read into pend episodes', () => {
  it('reads every row of the fixture into the episode computed by hand', () => {
    const episodes = FIXTURE_ROWS.map((row) => {
      const episode = episodeOfRow(row);
      return episode && [episode.pendedOn, episode.clearedOn, episode.queue, episode.payer, episode.amountCents];
    });

    expect(episodes).toEqual([
      ['2024-02-20', null, 'Provider Data', 'Aetna', 31000],
      ['2024-02-21', '2024-03-04', 'Eligibility', 'Aetna', 148000],
      // US dates: 03/01/2024.
      ['2024-03-01', null, 'Medical Review', 'Cigna', 1295000],
      // Served after it was received: the received date is still the pend date.
      ['2024-03-02', null, 'Claims Integrity', 'UnitedHealthcare', 18500],
      ['2024-03-08', '2024-03-15', 'Provider Data', 'Humana', 64000],
      ['2024-03-09', null, 'Eligibility', 'Medicaid', 9500],
      ['2024-03-12', '2024-03-14', 'Provider Data', 'Blue Cross Blue Shield', 24000],
    ]);
  });

  it('keeps a waiting claim whose row names no payer in the queue, under the payer UNSPECIFIED', () => {
    expect(episodeOfRow(firstRowWith({ Payer: '' }))).toMatchObject({
      pendedOn: '2024-02-20',
      clearedOn: null,
      payer: 'UNSPECIFIED',
      amountCents: 31000,
    });
  });

  it("keeps a waiting claim whose adjudicators' comments run past 1,024 characters in the queue, comments whole", () => {
    const comments = Array.from({ length: 40 }, (_, index) => `Note ${index + 1}: called office; awaiting W-9.`).join(
      ' ',
    );
    expect(comments.length).toBeGreaterThan(1024);

    expect(episodeOfRow(firstRowWith({ 'Adjudicator Comments': comments }))).toMatchObject({
      pendedOn: '2024-02-20',
      clearedOn: null,
      comments,
    });
  });

  it('still dead-letters a row whose date carries a two-digit year, naming the column and not the value', () => {
    const read = (): ClaimEvent => normalizedRow(firstRowWith({ 'Received Date': '02/20/24' }));

    expect(read).toThrow(SourceRecordError);
    expect(read).toThrow(/^Received Date is not a /);
    expect(read).not.toThrow(/02\/20\/24/);
  });
});

describe('a later export that clears a claim on a date before its received date', () => {
  it('dates the clear by the received date (a same-day clear), so it supersedes the row that had the claim waiting', () => {
    const waiting = FIXTURE_ROWS[0] ?? '';
    const fields = waiting.split(',');
    const received = fields[COLUMNS.indexOf('Received Date')] ?? '';
    fields[COLUMNS.indexOf('Clear Date')] = '2024-02-15';
    const clearedEarly = fields.join(',');

    const pended = enrichedRow(waiting);
    const cleared = enrichedRow(clearedEarly);
    expect(cleared.eventType).toBe('cleared');
    expect(cleared.occurredAt).toBe(received);
    // The clearing row arrived later (a later export): a higher source sequence.
    expect(supersedes(claimVersionOf(cleared, 2), claimVersionOf(pended, 1))).toBe(true);
    expect(episodeOfRow(clearedEarly)).toMatchObject({ clearedOn: received });
  });
});
