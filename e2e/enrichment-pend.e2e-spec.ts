import {
  REFERENCE_TOPIC_BY_KIND,
  namespacedTopic,
  referenceEventMessage,
  type EnrichedClaimEvent,
  type ProviderReference,
} from '@claims/contracts';
import {
  DIRECTORY_NAME_POOL,
  DirectoryIdentifierCollector,
  loadReferenceCodes,
  referenceEvent,
  synthesizeDirectory,
  type SyntheticDirectory,
} from '@claims/enrichment';
import { REPO_ROOT, publishReferenceEvents, queryRows, waitFor } from '@claims/harness';
import { claimEventsOfFile, loadSourceLayouts } from '@claims/source-layouts';
import { Kafka, logLevel } from 'kafkajs';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_CARRIER_FILE, SAMPLE_CARRIER_PATH, startE2ePipeline, type E2ePipeline } from './e2e-pipeline';
import { readWholeTopic } from './sources-file-truth';
import { settledVerification } from './verification';

const SAMPLE2 = join(REPO_ROOT, 'data', 'desynpuf', 'sample2');
const BENEFICIARY_FILES = [2008, 2009, 2010].map((year) => `DE1_0_${year}_Beneficiary_Summary_File_Sample_2.csv`);
const INPATIENT_FILE = 'DE1_0_2008_to_2010_Inpatient_Claims_Sample_2_part1.csv';

/**
 * Straight from the raw files: how many inpatient claims have their member's
 * beneficiary row for the year of their first service date (the sample files
 * are slices, so only some do).
 */
function inpatientClaimsWithMemberYear(): number {
  const members = new Set<string>();
  for (const name of BENEFICIARY_FILES) {
    const year = /DE1_0_(\d{4})_/.exec(name)?.[1] ?? '';
    for (const row of readFileSync(join(SAMPLE2, name), 'utf8').split(/\r?\n/).slice(1)) {
      if (row.trim() !== '') members.add(`${row.split(',')[0]}|${year}`);
    }
  }
  const claims = new Map<string, boolean>();
  const [header, ...rows] = readFileSync(join(SAMPLE2, INPATIENT_FILE), 'utf8').split(/\r?\n/);
  const columns = (header ?? '').split(',').map((name) => name.replaceAll('"', ''));
  const [member, claim, from] = ['DESYNPUF_ID', 'CLM_ID', 'CLM_FROM_DT'].map((name) => columns.indexOf(name));
  for (const row of rows) {
    if (row.trim() === '') continue;
    const fields = row.split(',');
    const claimId = fields[claim ?? -1] ?? '';
    if (!claims.has(claimId)) {
      claims.set(claimId, members.has(`${fields[member ?? -1]}|${(fields[from ?? -1] ?? '').slice(0, 4)}`));
    }
  }
  return [...claims.values()].filter(Boolean).length;
}
/** A resubmission of one sample claim under a new claim id, a week later: what the duplicate rule must catch. */
const RESUBMITTED_FILE = 'carrier-resubmitted-a-week-later.csv';
const RESUBMITTED_CLAIM_ID = '999000000000001';
const FIX_DATE = '2011-02-01';
const DEACTIVATED_PROVIDER_CLAIM_ID = '999000000000002';
const DEACTIVATED_PROVIDER_FILE = 'deactivated-provider-claim.csv';
/** A valid NPI (check digit included) the sample and its directory do not hold. */
const DEACTIVATED_NPI = '1234567893';

interface IngestionReport {
  lookupMissesByKind: Record<string, { claims: number; shareOfFoldedClaims: number }>;
  pendReasonsByCode: Record<string, { claims: number; shareOfFoldedClaims: number }>;
}

/** The first carrier row, under another claim id, its through date a week later (same member, provider, date, code). */
function resubmittedCopyOfFirstRow(): { file: string; originalClaimId: string } {
  const [header, first] = readFileSync(SAMPLE_CARRIER_PATH, 'utf8').split(/\r?\n/);
  const fields = (first ?? '').split(',');
  const originalClaimId = fields[1] ?? '';
  const through = fields[3] ?? '';
  const weekLater = new Date(Date.UTC(+through.slice(0, 4), +through.slice(4, 6) - 1, +through.slice(6, 8) + 7));
  fields[1] = RESUBMITTED_CLAIM_ID;
  fields[3] = weekLater.toISOString().slice(0, 10).replaceAll('-', '');
  return { file: `${header}\n${fields.join(',')}\n`, originalClaimId };
}

describe('enrichment and the pend rules, from a seeded directory on the reference topics, through the five services', () => {
  let e2e: E2ePipeline;
  let directory: SyntheticDirectory;
  let carrierFileId: string;
  let inpatientFileId: string;
  let enriched: EnrichedClaimEvent[] = [];
  const enrichedTopic = (): string => `${e2e.namespace}.claims.enriched.v1`;
  const carrierEvents = (): EnrichedClaimEvent[] => enriched.filter((event) => event.lineage.fileId === carrierFileId);

  beforeAll(async () => {
    e2e = await startE2ePipeline('enrichment-pend');
    // The directory for the sample's identifiers, published before the claims as an operator would.
    const collector = new DirectoryIdentifierCollector();
    const options = { layouts: loadSourceLayouts(), patientTokenKey: 'identifiers-only' };
    for (const path of [SAMPLE_CARRIER_PATH, join(SAMPLE2, INPATIENT_FILE)]) {
      for await (const event of claimEventsOfFile(path, options)) collector.add(event);
    }
    directory = synthesizeDirectory(collector.identifiers(), {
      seed: 7,
      flawShare: 0.25,
      neverFixedShare: 0.3,
      namePool: DIRECTORY_NAME_POOL,
      codes: loadReferenceCodes(join(REPO_ROOT, 'data', 'codes')),
    });
    await publishReferenceEvents(directory.events, e2e.brokers.split(','), e2e.namespace);

    const fileIds: string[] = [];
    for (const name of BENEFICIARY_FILES) {
      copyFileSync(join(SAMPLE2, name), join(e2e.ingestRoot, name));
      fileIds.push((await e2e.pipeline.ingest(name)).fileId);
    }
    await settledVerification(e2e.pipeline, { fileIds, timeoutMs: 120_000 });
    copyFileSync(SAMPLE_CARRIER_PATH, join(e2e.ingestRoot, SAMPLE_CARRIER_FILE));
    copyFileSync(join(SAMPLE2, INPATIENT_FILE), join(e2e.ingestRoot, INPATIENT_FILE));
    carrierFileId = (await e2e.pipeline.ingest(SAMPLE_CARRIER_FILE)).fileId;
    inpatientFileId = (await e2e.pipeline.ingest(INPATIENT_FILE)).fileId;
    const verification = await settledVerification(e2e.pipeline, {
      fileIds: [carrierFileId, inpatientFileId],
      timeoutMs: 120_000,
    });
    expect(verification).toMatchObject({ consistent: true, mismatches: [] });
    enriched = await readWholeTopic<EnrichedClaimEvent>(e2e.brokers, enrichedTopic());
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('carries provider, group, location and member data on the enriched events of the samples', () => {
    const judged = carrierEvents().filter((event) => event.eventType !== 'cleared');
    expect(judged.length).toBeGreaterThan(0);
    const share = (test: (event: EnrichedClaimEvent) => boolean): number => judged.filter(test).length / judged.length;
    expect(
      share((event) => event.enrichment.providers?.some((p) => p.role === 'rendering' && p.found) ?? false),
    ).toBeGreaterThan(0.6);
    expect(share((event) => event.enrichment.providerGroup?.found ?? false)).toBeGreaterThan(0.6);
    expect(share((event) => (event.enrichment.serviceLocation?.stateName ?? null) !== null)).toBeGreaterThan(0.6);
    const inpatient = enriched.filter(
      (event) => event.lineage.fileId === inpatientFileId && event.eventType !== 'cleared',
    );
    const expectedWithMember = inpatientClaimsWithMemberYear();
    expect(expectedWithMember).toBeGreaterThan(0);
    expect(inpatient.filter((event) => event.enrichment.member?.found).length).toBe(expectedWithMember);
    const withMember = inpatient.find((event) => event.enrichment.member?.found);
    expect(withMember?.enrichment.member).toMatchObject({
      ageAtService: expect.any(Number),
      sex: expect.stringMatching(/^(male|female)$/),
      stateName: expect.any(String),
    });
    // A member's token is never written into a lookup miss.
    for (const event of judged) {
      for (const miss of event.enrichment.lookupMisses ?? []) {
        if (miss.lookup === 'member') expect(miss.key).toBeNull();
      }
    }
  });

  it('counts the share of claims with each lookup miss and each pend reason in the ingest report', async () => {
    const report = await e2e.pipeline.api<IngestionReport>(`/v1/ingestions/${carrierFileId}`);
    const misses = Object.entries(report.lookupMissesByKind);
    expect(misses.length).toBeGreaterThan(0);
    const judged = carrierEvents().filter((event) => event.eventType !== 'cleared');
    const providerMisses = judged.filter((event) =>
      (event.enrichment.lookupMisses ?? []).some((miss) => miss.lookup === 'provider' && miss.reason === 'not_found'),
    ).length;
    expect(report.lookupMissesByKind['provider:not_found']?.claims).toBe(providerMisses);
    for (const [, entry] of misses) expect(entry.shareOfFoldedClaims).toBeLessThanOrEqual(1);
    expect(Object.keys(report.pendReasonsByCode).length).toBeGreaterThan(0);
  });

  it('pends a claim on a flawed directory entry and clears it on the day the flaw was fixed, in event time', () => {
    const fixedOn = new Map(
      directory.flaws.filter((flaw) => flaw.kind === 'provider').map((flaw) => [flaw.key, flaw.fixedOn]),
    );
    const clearedByClaim = new Map(
      carrierEvents()
        .filter((event) => event.eventType === 'cleared')
        .map((event) => [event.claimId, event]),
    );
    const pendedOnProvider = carrierEvents().filter(
      (event) =>
        event.eventType === 'pended' &&
        event.pendDecision?.reasons.length === 1 &&
        event.pendDecision.reasons[0]?.code === 'PROVIDER_NOT_FOUND',
    );
    expect(pendedOnProvider.length).toBeGreaterThan(0);
    let checked = 0;
    for (const event of pendedOnProvider) {
      const waitsOn = event.pendDecision?.reasons[0]?.waitsOn ?? [];
      if (waitsOn.length !== 1) continue;
      const fix = fixedOn.get(waitsOn[0]?.key ?? '');
      if (fix === undefined) continue;
      const cleared = clearedByClaim.get(event.claimId);
      if (fix === null) {
        expect(cleared).toBeUndefined();
      } else {
        expect(cleared?.occurredAt).toBe(fix);
        expect(cleared?.pendDecision).toMatchObject({ status: 'cleared', clearedOn: fix, clearedBy: 'reference' });
        // The cleared event shows the directory as of its clear date: the provider is found there.
        expect(cleared?.enrichment.providers?.find((provider) => provider.npi === waitsOn[0]?.key)?.found).toBe(true);
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('clears exactly the claims waiting on a provider when its fix is published, once, stamped with the fix date', async () => {
    const waiting = await queryRows<{ key: string; claim_id: string }>(
      e2e.database.url,
      `SELECT d.key, d.claim_id FROM enricher_pend_dependency d
        WHERE d.kind = 'provider'
          AND NOT EXISTS (SELECT 1 FROM enricher_pend_dependency o WHERE o.claim_id = d.claim_id AND o.kind <> 'provider')
          AND (SELECT count(*) FROM enricher_pend_dependency o WHERE o.claim_id = d.claim_id) = 1
        ORDER BY d.key, d.claim_id`,
    );
    const byProvider = new Map<string, string[]>();
    for (const row of waiting) byProvider.set(row.key, [...(byProvider.get(row.key) ?? []), row.claim_id]);
    const [npi, claimIds] = [...byProvider].sort((left, right) => right[1].length - left[1].length)[0] ?? [];
    expect(npi).toBeDefined();
    const everyWaiting = await queryRows<{ claim_id: string }>(
      e2e.database.url,
      `SELECT claim_id FROM enricher_pend_dependency WHERE kind = 'provider' AND key = $1`,
      [npi],
    );
    const fix: ProviderReference = {
      npi: npi ?? '',
      entityType: 'individual',
      firstName: 'ROSA',
      lastName: 'DELGADO',
      organizationName: null,
      credential: 'MD',
      taxonomyCode: '207Q00000X',
      specialty: null,
      groupKey: null,
      locationKey: null,
      practiceAddress: { address1: '100 MAIN ST', city: 'SPRINGFIELD', state: 'IL', zip: '62701' },
    };
    const clearedCount = async (): Promise<EnrichedClaimEvent[]> =>
      (await readWholeTopic<EnrichedClaimEvent>(e2e.brokers, enrichedTopic())).filter(
        (event) => event.eventType === 'cleared' && event.occurredAt === FIX_DATE,
      );
    const published = await e2e.pipeline.apiPost('/v1/reference/providers', { effectiveDate: FIX_DATE, record: fix });
    expect(published.status).toBe(202);
    const expected = (claimIds ?? []).sort();
    const cleared = await waitFor(
      'the claims waiting on the provider to be cleared',
      clearedCount,
      (events) => events.length >= expected.length,
      { timeoutMs: 60_000 },
    );
    // Every claim waiting only on that provider, and no other, each once.
    expect(cleared.map((event) => event.claimId).sort()).toEqual(expected);
    expect(everyWaiting.length).toBeGreaterThanOrEqual(expected.length);
    for (const event of cleared) {
      expect(event.pendDecision).toMatchObject({ status: 'cleared', clearedOn: FIX_DATE, clearedBy: 'reference' });
      expect(event.enrichment.providers?.find((provider) => provider.npi === npi)?.name).toBe('ROSA DELGADO');
    }
    await settledVerification(e2e.pipeline, { timeoutMs: 60_000 });
    const pendRows = await queryRows<{ cleared_on: string | null }>(
      e2e.database.url,
      `SELECT to_char(cleared_on, 'YYYY-MM-DD') AS cleared_on FROM claim_pend WHERE claim_id = ANY($1::text[])`,
      [expected],
    );
    expect(pendRows.map((row) => row.cleared_on)).toEqual(expected.map(() => FIX_DATE));

    // The same fix again changes nothing: no new cleared event, the KPIs as they were.
    const before = await e2e.pipeline.api<Record<string, unknown>>(`/v1/kpis/pended-queue?asOf=${FIX_DATE}`);
    expect(
      (await e2e.pipeline.apiPost('/v1/reference/providers', { effectiveDate: FIX_DATE, record: fix })).status,
    ).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await clearedCount()).length).toBe(expected.length);
    expect(await e2e.pipeline.api(`/v1/kpis/pended-queue?asOf=${FIX_DATE}`)).toEqual(before);
  });

  it('clears a pended X12 claim when the payer’s 835 remittance for it arrives, as its adjudication', async () => {
    // demo.example1.837 bills claim 26463774 under NPIs no directory here holds: it pends. The payer's answer is
    // the guide's Medicare Part A 835 with its first CLP paying that claim.
    const professional = join(REPO_ROOT, 'data', 'x12', 'linuxforhealth', '837_005010X222A2', 'demo.example1.837');
    const remittance = join(REPO_ROOT, 'data', 'x12', 'linuxforhealth', '835_005010X221A1', 'medicare-part-a.835');
    copyFileSync(professional, join(e2e.ingestRoot, 'claim-26463774.837'));
    writeFileSync(
      join(e2e.ingestRoot, 'remittance-26463774.835'),
      readFileSync(remittance, 'utf8').replace('CLP*666123*', 'CLP*26463774*'),
    );
    const submitted = await e2e.pipeline.ingest('claim-26463774.837');
    await settledVerification(e2e.pipeline, { fileIds: [submitted.fileId], timeoutMs: 60_000 });
    const waiting = await queryRows<{ claim_id: string }>(
      e2e.database.url,
      `SELECT claim_id FROM enricher_pended_claim WHERE claim_id = '26463774'`,
    );
    expect(waiting).toHaveLength(1);

    const paid = await e2e.pipeline.ingest('remittance-26463774.835');
    await settledVerification(e2e.pipeline, { fileIds: [paid.fileId], timeoutMs: 60_000 });
    const events = (await readWholeTopic<EnrichedClaimEvent>(e2e.brokers, enrichedTopic())).filter(
      (event) => event.claimId === '26463774',
    );
    const adjudication = events.find((event) => event.pendDecision?.clearedBy === 'adjudication');
    expect(adjudication).toMatchObject({ eventType: 'adjudicated', pendDecision: { status: 'cleared' } });
    expect(adjudication?.pendDecision?.reasons.map((reason) => reason.code)).toContain('PROVIDER_NOT_FOUND');
    const [episode] = await queryRows<{ cleared_on: string | null }>(
      e2e.database.url,
      `SELECT to_char(cleared_on, 'YYYY-MM-DD') AS cleared_on FROM claim_pend WHERE claim_id = '26463774'`,
    );
    expect(episode?.cleared_on).toBe(adjudication?.pendDecision?.clearedOn);
    expect(
      await queryRows(e2e.database.url, `SELECT 1 FROM enricher_pended_claim WHERE claim_id = '26463774'`),
    ).toEqual([]);
  });

  it('pends as a suspected duplicate a claim resubmitted in another file a week later, and not the original', async () => {
    const { file, originalClaimId } = resubmittedCopyOfFirstRow();
    writeFileSync(join(e2e.ingestRoot, RESUBMITTED_FILE), file);
    const { fileId } = await e2e.pipeline.ingest(RESUBMITTED_FILE);
    await settledVerification(e2e.pipeline, { fileIds: [fileId], timeoutMs: 60_000 });
    const events = await readWholeTopic<EnrichedClaimEvent>(e2e.brokers, enrichedTopic());
    const resubmitted = events.find((event) => event.claimId === RESUBMITTED_CLAIM_ID);
    expect(resubmitted?.eventType).toBe('pended');
    expect(resubmitted?.pendDecision?.reasons.map((reason) => reason.code)).toContain('DUPLICATE_SUSPECT');
    const original = events.filter((event) => event.claimId === originalClaimId);
    expect(original.length).toBeGreaterThan(0);
    for (const event of original) {
      expect(event.pendDecision?.reasons.map((reason) => reason.code) ?? []).not.toContain('DUPLICATE_SUSPECT');
    }
  });
  it('judges no waiting claim against a half-loaded directory when the enricher restarts: a claim pended on a deactivated provider stays pended', async () => {
    // A claim of the sample the directory let through, sent again under a claim id of its own with its rendering
    // NPIs replaced by one whose listing and NPPES deactivation (both before 2008) sit on two partitions.
    const [header = '', ...rows] = readFileSync(SAMPLE_CARRIER_PATH, 'utf8').split(/\r?\n/).filter(Boolean);
    const columns = header.split(',').map((column) => column.replaceAll('"', ''));
    const pendedClaims = new Set(
      carrierEvents()
        .filter((event) => (event.pendDecision?.status ?? 'clean') !== 'clean')
        .map((event) => event.claimId),
    );
    const clean = new Set(
      carrierEvents()
        .map((event) => event.claimId)
        .filter((claimId) => !pendedClaims.has(claimId)),
    );
    const row = rows.map((line) => line.split(',')).find((fields) => clean.has(fields[1] ?? ''));
    expect(row).toBeDefined();
    const fields = [...(row ?? [])];
    const originalNpi = fields[columns.indexOf('PRF_PHYSN_NPI_1')] ?? '';
    const original = directory.events.find(
      (event) => event.kind === 'provider' && event.key === originalNpi && event.record !== null,
    );
    expect(original?.record).toBeDefined();
    fields[1] = DEACTIVATED_PROVIDER_CLAIM_ID;
    columns.forEach((column, index) => {
      if (column.startsWith('PRF_PHYSN_NPI_') && (fields[index] ?? '') !== '') fields[index] = DEACTIVATED_NPI;
    });
    const listing = referenceEvent(
      'provider',
      DEACTIVATED_NPI,
      '2000-01-01',
      { ...(original?.record as ProviderReference), npi: DEACTIVATED_NPI },
      'enrichment-pend-e2e',
    );
    const deactivation = referenceEvent('provider', DEACTIVATED_NPI, '2001-01-01', null, 'enrichment-pend-e2e');
    const kafka = new Kafka({
      clientId: 'enrichment-pend-e2e',
      brokers: e2e.brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    try {
      // The listing where a reader comes first, its deactivation where it comes last.
      await producer.send({
        topic: namespacedTopic(REFERENCE_TOPIC_BY_KIND.provider, e2e.namespace),
        messages: [
          { ...referenceEventMessage(listing), partition: 0 },
          { ...referenceEventMessage(deactivation), partition: 2 },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    writeFileSync(join(e2e.ingestRoot, DEACTIVATED_PROVIDER_FILE), `${header}\n${fields.join(',')}\n`);
    const { fileId } = await e2e.pipeline.ingest(DEACTIVATED_PROVIDER_FILE);
    await settledVerification(e2e.pipeline, { fileIds: [fileId], timeoutMs: 60_000 });
    const eventsOfClaim = async (): Promise<EnrichedClaimEvent[]> =>
      (await readWholeTopic<EnrichedClaimEvent>(e2e.brokers, enrichedTopic())).filter(
        (event) => event.claimId === DEACTIVATED_PROVIDER_CLAIM_ID,
      );
    const [pended] = await eventsOfClaim();
    // Pended for the deactivated provider alone: nothing else holds it, so a wrong clear would show.
    expect(pended?.eventType).toBe('pended');
    expect(pended?.pendDecision?.reasons.flatMap((reason) => reason.waitsOn)).toEqual([
      { kind: 'provider', key: DEACTIVATED_NPI },
    ]);
    const before = await e2e.pipeline.api<Record<string, unknown>>('/v1/kpis/pended-queue?asOf=2011-12-31');

    const enricher = e2e.pipeline.services.enricher;
    const restarts = enricher.restarts;
    await enricher.kill('SIGKILL');
    await waitFor(
      'the enricher to be restarted',
      async () => enricher.restarts,
      (count) => count > restarts,
      {
        timeoutMs: 60_000,
      },
    );
    // Healthy only once its directory has loaded whole and the claims it noted have been judged again.
    await enricher.waitUntilHealthy();
    await settledVerification(e2e.pipeline, { timeoutMs: 60_000 });

    expect((await eventsOfClaim()).map((event) => event.eventType)).toEqual(['pended']);
    expect(
      await queryRows(e2e.database.url, 'SELECT 1 FROM enricher_pended_claim WHERE claim_id = $1', [
        DEACTIVATED_PROVIDER_CLAIM_ID,
      ]),
    ).toHaveLength(1);
    expect(await e2e.pipeline.api('/v1/kpis/pended-queue?asOf=2011-12-31')).toEqual(before);
  });
});
