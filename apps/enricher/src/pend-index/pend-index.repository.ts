import type { PendDecision, PendDependency } from '@claims/contracts';
import { queryPrepared } from '@claims/database';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A claim fingerprint offered for the duplicate rule: the earliest claim in event time holds it. */
export interface FingerprintClaim {
  /** In UUID form, as @claims/enrichment duplicateFingerprints writes it (the column is a uuid). */
  fingerprint: string;
  claimId: string;
  occurredAt: string;
}

export interface FingerprintHolder {
  claimId: string;
  occurredAt: string;
}

/** A claim that waits in the pended queue, as the enricher stored it. */
export interface WaitingClaim {
  claimId: string;
  /** The canonical event it was judged on, as it arrived. */
  normalizedEvent: string;
  decision: PendDecision;
}

export interface PendedClaimRecord {
  claimId: string;
  /** The canonical event's JSON: the bytes of the message it arrived in, or a text read back from the queue. */
  normalizedEvent: Buffer | string;
  decision: PendDecision;
  dependencies: readonly PendDependency[];
}

/**
 * The enricher's Postgres state: the pended queue it must be able to clear,
 * indexed by what each claim waits on, and the duplicate rule's fingerprints.
 * Every write is idempotent, so a redelivered batch or a replayed fix writes
 * the same rows again and nothing more.
 */
@Injectable()
export class PendIndexRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Offers the batch's fingerprints and returns who holds each afterwards.
   * The holder is the claim earliest in event time (claim id breaks ties), so
   * the verdict does not depend on which of two duplicates arrived first.
   */
  async holdFingerprints(offered: readonly FingerprintClaim[]): Promise<Map<string, FingerprintHolder>> {
    if (offered.length === 0) return new Map();
    // One row per fingerprint in a statement: Postgres refuses to update a row twice in one INSERT.
    const earliest = new Map<string, FingerprintClaim>();
    for (const claim of offered) {
      const held = earliest.get(claim.fingerprint);
      if (held === undefined || isEarlier(claim, held)) earliest.set(claim.fingerprint, claim);
    }
    const rows = [...earliest.values()];
    // Where the offer wins (a new fingerprint, or an earlier claim than its holder) the holder is the offer itself:
    // only the fingerprints it lost come back, so a batch of new claims reads nothing back from the table.
    const taken: Array<{ fingerprint: string }> = await queryPrepared(
      this.dataSource.manager,
      `INSERT INTO enricher_claim_fingerprint AS f (fingerprint, claim_id, occurred_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[])
       ON CONFLICT (fingerprint) DO UPDATE SET claim_id = EXCLUDED.claim_id, occurred_at = EXCLUDED.occurred_at
         WHERE (EXCLUDED.occurred_at, EXCLUDED.claim_id) < (f.occurred_at, f.claim_id)
       RETURNING fingerprint::text`,
      [rows.map((row) => row.fingerprint), rows.map((row) => row.claimId), rows.map((row) => row.occurredAt)],
    );
    const holders = new Map<string, FingerprintHolder>(
      rows.map((row) => [row.fingerprint, { claimId: row.claimId, occurredAt: row.occurredAt }]),
    );
    if (taken.length === rows.length) return holders;
    for (const { fingerprint } of taken) earliest.delete(fingerprint);
    // The rest are held by an earlier claim (or the same one, offered again): read who, as committed now.
    const kept: Array<{ fingerprint: string; claim_id: string; occurred_at: string }> = await queryPrepared(
      this.dataSource.manager,
      `SELECT fingerprint::text, claim_id, to_char(occurred_at, 'YYYY-MM-DD') AS occurred_at
         FROM enricher_claim_fingerprint WHERE fingerprint = ANY($1::uuid[])`,
      [[...earliest.keys()]],
    );
    for (const row of kept) holders.set(row.fingerprint, { claimId: row.claim_id, occurredAt: row.occurred_at });
    return holders;
  }

  /**
   * Brings the queue in line with a batch's verdicts: the pended claims are
   * stored with what they wait on; every other claim of the batch (clean, or
   * pended and cleared at once) leaves the queue, as a newer version replaces
   * the one that waited.
   */
  async recordVerdicts(pended: readonly PendedClaimRecord[], notWaiting: readonly string[]): Promise<void> {
    const touched = [...pended.map((claim) => claim.claimId), ...notWaiting];
    if (touched.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      await queryPrepared(manager, `DELETE FROM enricher_pend_dependency WHERE claim_id = ANY($1::text[])`, [touched]);
      if (notWaiting.length > 0) {
        await queryPrepared(manager, `DELETE FROM enricher_pended_claim WHERE claim_id = ANY($1::text[])`, [
          notWaiting,
        ]);
      }
      if (pended.length === 0) return;
      const latest = [...new Map(pended.map((claim) => [claim.claimId, claim])).values()];
      // The events and verdicts go as one JSON array each, joined from texts that are JSON already, and
      // json_array_elements gives each element's text back unchanged. As a text[] parameter every
      // event was decoded, then escaped into an array literal character by character: a tenth of the
      // enricher's CPU.
      await queryPrepared(
        manager,
        `INSERT INTO enricher_pended_claim (claim_id, normalized_event, decision, pended_on)
         SELECT claim.claim_id, event.value::text, decision.value::jsonb, claim.pended_on
           FROM unnest($1::text[], $4::date[]) WITH ORDINALITY AS claim(claim_id, pended_on, n)
           JOIN json_array_elements($2::json) WITH ORDINALITY AS event(value, n) USING (n)
           JOIN json_array_elements($3::json) WITH ORDINALITY AS decision(value, n) USING (n)
         ON CONFLICT (claim_id) DO UPDATE SET normalized_event = EXCLUDED.normalized_event,
           decision = EXCLUDED.decision, pended_on = EXCLUDED.pended_on, updated_at = now()`,
        [
          latest.map((claim) => claim.claimId),
          jsonArrayOf(latest.map((claim) => claim.normalizedEvent)),
          jsonArrayOf(latest.map((claim) => JSON.stringify(claim.decision))),
          latest.map((claim) => claim.decision.pendedOn),
        ],
      );
      const dependencies = latest.flatMap((claim) =>
        uniqueDependencies(claim.dependencies).map((dependency) => ({ ...dependency, claimId: claim.claimId })),
      );
      if (dependencies.length === 0) return;
      await queryPrepared(
        manager,
        `INSERT INTO enricher_pend_dependency (kind, key, claim_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
        [
          dependencies.map((dependency) => dependency.kind),
          dependencies.map((dependency) => dependency.key),
          dependencies.map((dependency) => dependency.claimId),
        ],
      );
    });
  }

  /** The claims waiting on any of these reference entries: an index lookup, never a scan of the queue. */
  async findWaitingOn(entries: readonly PendDependency[]): Promise<WaitingClaim[]> {
    if (entries.length === 0) return [];
    const rows: Array<{ claim_id: string; normalized_event: string; decision: PendDecision }> = await queryPrepared(
      this.dataSource.manager,
      `SELECT c.claim_id, c.normalized_event, c.decision
           FROM enricher_pended_claim c
          WHERE c.claim_id IN (
            SELECT d.claim_id FROM enricher_pend_dependency d
              JOIN unnest($1::text[], $2::text[]) AS e(kind, key) ON d.kind = e.kind AND d.key = e.key)
          ORDER BY c.claim_id`,
      [entries.map((entry) => entry.kind), entries.map((entry) => entry.key)],
    );
    return rows.map((row) => ({
      claimId: row.claim_id,
      normalizedEvent: row.normalized_event,
      decision: row.decision,
    }));
  }

  /** The ids of the claims waiting on any of these reference entries, without their events. */
  async claimIdsWaitingOn(entries: readonly PendDependency[]): Promise<string[]> {
    if (entries.length === 0) return [];
    const rows: Array<{ claim_id: string }> = await queryPrepared(
      this.dataSource.manager,
      `SELECT DISTINCT d.claim_id FROM enricher_pend_dependency d
         JOIN unnest($1::text[], $2::text[]) AS e(kind, key) ON d.kind = e.kind AND d.key = e.key`,
      [entries.map((entry) => entry.kind), entries.map((entry) => entry.key)],
    );
    return rows.map((row) => row.claim_id);
  }

  /** Those of these claims that still wait in the queue, with their events and verdicts. */
  async findWaiting(claimIds: readonly string[]): Promise<WaitingClaim[]> {
    if (claimIds.length === 0) return [];
    const rows: Array<{ claim_id: string; normalized_event: string; decision: PendDecision }> = await queryPrepared(
      this.dataSource.manager,
      `SELECT claim_id, normalized_event, decision FROM enricher_pended_claim
        WHERE claim_id = ANY($1::text[]) ORDER BY claim_id`,
      [claimIds],
    );
    return rows.map((row) => ({
      claimId: row.claim_id,
      normalizedEvent: row.normalized_event,
      decision: row.decision,
    }));
  }

  /** The verdicts of those of these claims that wait in the queue. */
  async waitingDecisions(claimIds: readonly string[]): Promise<Map<string, PendDecision>> {
    if (claimIds.length === 0) return new Map();
    const rows: Array<{ claim_id: string; decision: PendDecision }> = await queryPrepared(
      this.dataSource.manager,
      `SELECT claim_id, decision FROM enricher_pended_claim WHERE claim_id = ANY($1::text[])`,
      [claimIds],
    );
    return new Map(rows.map((row) => [row.claim_id, row.decision]));
  }

  /**
   * How many claims wait, for the enricher's gauge: the sum of the count the
   * queue's triggers keep, never a scan of the queue.
   */
  async waitingCount(): Promise<number> {
    const rows: Array<{ count: string }> = await queryPrepared(
      this.dataSource.manager,
      `SELECT coalesce(sum(claims), 0)::bigint AS count FROM enricher_pended_claim_count`,
    );
    return Number(rows[0]?.count ?? 0);
  }
}

function isEarlier(left: FingerprintClaim, right: FingerprintClaim): boolean {
  return left.occurredAt < right.occurredAt || (left.occurredAt === right.occurredAt && left.claimId < right.claimId);
}

function uniqueDependencies(dependencies: readonly PendDependency[]): PendDependency[] {
  return [
    ...new Map(dependencies.map((dependency) => [`${dependency.kind}\u0000${dependency.key}`, dependency])).values(),
  ];
}

/**
 * A JSON array of JSON texts, without parsing or escaping them again, as
 * bytes: node-postgres sends a Buffer parameter as it is (binary format,
 * which for json is the text itself), so a message's bytes are never decoded.
 */
function jsonArrayOf(jsonTexts: ReadonlyArray<Buffer | string>): Buffer {
  const parts: Buffer[] = [ARRAY_OPEN];
  jsonTexts.forEach((text, index) => {
    if (index > 0) parts.push(ARRAY_SEPARATOR);
    parts.push(typeof text === 'string' ? Buffer.from(text) : text);
  });
  parts.push(ARRAY_CLOSE);
  return Buffer.concat(parts);
}

const ARRAY_OPEN = Buffer.from('[');
const ARRAY_SEPARATOR = Buffer.from(',');
const ARRAY_CLOSE = Buffer.from(']');
